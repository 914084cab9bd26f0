'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { greet } = require('../src/greeting.js');

test('greets a person by name', () => {
  assert.equal(greet('Ada'), 'Hello, Ada!');
});
