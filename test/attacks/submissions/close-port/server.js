'use strict';
// Stops listening once grading is under way but keeps running: a service that is down while its process
// lives is not a crash.
const kit = require('./kit');

const server = kit.serve(kit.slowNotFound(3000));
kit.afterHealth(2, () => {
  kit.report('close-port', { closed: true });
  server.close();
  server.closeAllConnections();
  setInterval(() => undefined, 1000);
});
