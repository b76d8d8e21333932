#!/usr/bin/env node
// Committed entry point, so npm can link the `caregraph` command before the first build.
import '../dist/cli/main.js';
