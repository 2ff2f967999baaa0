/** The healthcare categories CareOS routes leads into. */
export const CARE_CATEGORIES = [
  'general_healthcare',
  'caregiver_hiring',
  'telehealth',
  'rx_management',
  'mental_health',
  'home_health',
  'medical_equipment',
] as const;

/** One of {@link CARE_CATEGORIES}. */
export type CareCategory = (typeof CARE_CATEGORIES)[number];

/** Partner category → CareOS category, exactly the seed's mapping table. */
export const CATEGORY_MAP: Readonly<Record<string, CareCategory>> = Object.freeze({
  healthcare: 'general_healthcare',
  health: 'general_healthcare',
  medical: 'general_healthcare',
  caregiver: 'caregiver_hiring',
  caregiver_hiring: 'caregiver_hiring',
  staffing_hiring: 'caregiver_hiring',
  doctor: 'telehealth',
  telehealth: 'telehealth',
  consulting_urgent: 'telehealth',
  medication: 'rx_management',
  rx_management: 'rx_management',
  prescription: 'rx_management',
  mental_health: 'mental_health',
  therapy: 'mental_health',
  counseling: 'mental_health',
  home_health: 'home_health',
  nursing: 'home_health',
  medical_equipment: 'medical_equipment',
  equipment_supply: 'medical_equipment',
});

/**
 * Maps a partner's category pair to a CareOS category. The subcategory wins when it maps
 * (it is the more specific of the two); an unknown pair falls back to `general_healthcare`.
 * Matching ignores case and surrounding whitespace.
 */
export function mapCategory(category: string, subcategory?: string | null): CareCategory {
  const key = (value: string | null | undefined) => (value ? CATEGORY_MAP[value.trim().toLowerCase()] : undefined);
  return key(subcategory) ?? key(category) ?? 'general_healthcare';
}
