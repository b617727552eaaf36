'use strict';
// A dependency outside the registry: refused before any install or pod.
require('./kit').serve();
