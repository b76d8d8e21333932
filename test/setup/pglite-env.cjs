// The "pglite" project runs every suite on embedded PGlite, even when CI also configures PostgreSQL.
if (process.env.CAREGRAPH_TEST_DATABASE_URL) {
  process.env.CAREGRAPH_TEST_DATABASE_URL_FOR_POSTGRES = process.env.CAREGRAPH_TEST_DATABASE_URL;
}
delete process.env.CAREGRAPH_TEST_DATABASE_URL;
