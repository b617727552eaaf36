'use strict';
// Answers /health, then never answers anything else (keeps every socket open): the grader must hit its
// per-request timeouts and the run its wall-clock limit.
const kit = require('./kit');

kit.serve((req) => req.url !== '/health');
kit.report('hang-response', { hanging: true });
