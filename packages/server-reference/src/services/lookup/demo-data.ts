import { SEED_LOOKUP_FOUND } from '@careos/contract';

/*
 * The lookup demo: the seed's own record (case "9", Antonio Dorato) and a few more patients
 * that show the search rules — a patient with several cases (the most recent wins), two
 * patients sharing a home phone (the most recent case of either wins), a patient known only
 * by a cell phone, and one linked to the CareOS user of the lead demo. Ids are fixed and
 * below 1000, where created rows never go, so the seed's case id stays "9".
 */

/** A demo patient; phones as entered (the server stores their E.164 form beside them). */
export interface DemoPatient {
  id: number;
  name: string;
  phone: string | null;
  homePhone: string | null;
  cellPhone: string | null;
  email: string | null;
}

/** A demo case; timestamps with microseconds, as the seed's. */
export interface DemoCase {
  id: number;
  patientId: number;
  status: string;
  clinic: string | null;
  treatment: string | null;
  disposition: string | null;
  outcome: string | null;
  createdAt: string;
  followUpDate: string | null;
}

const seed = SEED_LOOKUP_FOUND;

export const DEMO_PATIENTS: readonly DemoPatient[] = [
  { id: 1, name: seed.patient.name, phone: seed.patient.phone, homePhone: seed.patient.home_phone, cellPhone: seed.patient.cell_phone, email: seed.patient.email },
  { id: 2, name: 'Giulia Romano', phone: '+39 02 8765 4321', homePhone: null, cellPhone: '+39 347 555 1212', email: 'giulia.romano@email.com' },
  { id: 3, name: 'Marco Bianchi', phone: '+39 011 456 7890', homePhone: '+39 011 456 7890', cellPhone: '+39 339 876 5432', email: 'marco.bianchi@email.com' },
  { id: 4, name: 'Laura Bianchi', phone: '+39 340 111 2233', homePhone: '+39 011 456 7890', cellPhone: '+39 340 111 2233', email: 'laura.bianchi@email.com' },
  { id: 5, name: 'Francesca Esposito', phone: '+39 081 765 4321', homePhone: '+39 081 765 4321', cellPhone: null, email: 'francesca.esposito@email.com' },
  { id: 6, name: 'Luca Ferrari', phone: null, homePhone: null, cellPhone: '+39 328 444 5566', email: null },
  { id: 7, name: 'John Doe', phone: '+1 415 555 0123', homePhone: null, cellPhone: '+1 415 555 0123', email: null },
];

export const DEMO_CASES: readonly DemoCase[] = [
  { id: 1, patientId: 5, status: 'CHIUSO', clinic: 'Centro Medico Napoli', treatment: 'Cataract Surgery', disposition: 'Post-op check completed', outcome: 'Vision restored', createdAt: '2025-02-11T09:12:44.120391+00:00', followUpDate: null },
  { id: 2, patientId: 2, status: 'CHIUSO', clinic: 'Clinica Dentale Milano', treatment: 'Dental Implant', disposition: 'Implant placed', outcome: 'Healed well', createdAt: '2025-03-03T10:41:09.552017+00:00', followUpDate: '2025-06-03T10:41:09.552017+00:00' },
  { id: 3, patientId: 3, status: 'CONTATTATO', clinic: 'Centro Fisioterapia Torino', treatment: 'Knee Rehabilitation', disposition: 'Called back, wants evening slots', outcome: 'Marathon runner', createdAt: '2025-04-22T15:03:27.904466+00:00', followUpDate: '2025-04-29T15:03:27.904466+00:00' },
  { id: 4, patientId: 1, status: 'CHIUSO', clinic: 'Centro Oculistico Roma', treatment: 'Eye Exam', disposition: 'Routine check', outcome: 'Referred for SMILE evaluation', createdAt: '2025-05-19T08:30:15.271902+00:00', followUpDate: null },
  { id: 5, patientId: 6, status: 'NUOVO', clinic: 'Centro Oculistico Roma', treatment: 'LASIK', disposition: 'Web form', outcome: null, createdAt: '2025-06-14T18:22:51.003318+00:00', followUpDate: '2025-06-16T18:22:51.003318+00:00' },
  { id: 6, patientId: 5, status: 'APPUNTAMENTO', clinic: 'Centro Medico Napoli', treatment: 'Glaucoma Screening', disposition: 'Annual screening booked', outcome: 'Family history of glaucoma', createdAt: '2025-06-30T11:47:38.649120+00:00', followUpDate: '2025-07-07T11:47:38.649120+00:00' },
  { id: 7, patientId: 4, status: 'APPUNTAMENTO', clinic: 'Centro Fisioterapia Torino', treatment: 'Postural Therapy', disposition: 'First session booked', outcome: 'Office worker, back pain', createdAt: '2025-07-02T09:05:00.417735+00:00', followUpDate: '2025-07-09T09:05:00.417735+00:00' },
  { id: 8, patientId: 7, status: 'NUOVO', clinic: 'Centro Oculistico Roma', treatment: 'LASIK Consultation', disposition: 'Referred by BusinessOS', outcome: null, createdAt: '2025-07-05T14:16:52.782049+00:00', followUpDate: null },
  {
    id: Number(seed.case_id),
    patientId: 1,
    status: seed.case.status,
    clinic: seed.case.clinic,
    treatment: seed.case.treatment,
    disposition: seed.case.disposition,
    outcome: seed.case.outcome,
    createdAt: seed.case.created_at,
    followUpDate: seed.case.follow_up_date,
  },
  { id: 10, patientId: 2, status: 'IN_TRATTAMENTO', clinic: 'Clinica Dentale Milano', treatment: 'Clear Aligners', disposition: 'Aligners delivered', outcome: 'Wedding in October', createdAt: '2025-09-18T16:20:33.118254+00:00', followUpDate: '2025-10-16T16:20:33.118254+00:00' },
];
