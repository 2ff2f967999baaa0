/** Version of this package, sent in the `User-Agent` header. Kept in step with package.json by a test. */
export const VERSION = '0.1.0';
