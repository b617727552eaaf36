'use strict';
// Sleeps forever and never opens its port.
require('./kit').report('never-listens', { sleeping: true });
setInterval(() => {}, 1 << 30);
