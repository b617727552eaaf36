'use strict';
// Stops listening once grading is under way, and exits (code 3) 2 s later: the grader's remaining checks
// meet a closed port and end before the exit, so the exit is recorded only after the grader finished.
const kit = require('./kit');

const server = kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  kit.report('exit-late', { closed: true });
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(3), 2000);
});
