'use strict';
module.exports = require('./tmp-root').teardown;
