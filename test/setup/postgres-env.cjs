// The "postgres" project runs the database suites again on the real server (.ci/run sets the URL).
process.env.CAREGRAPH_TEST_DATABASE_URL ??= process.env.CAREGRAPH_TEST_DATABASE_URL_FOR_POSTGRES;
