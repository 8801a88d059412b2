// Jest runs the suites it has no timing for in order of file size. A fresh clone (CI) has none, so the
// longest suites — route-walking probes in small files — started last and ran alone at the end of the
// run (CI, session 14: the not-found walk finished 170th of 170, 187 s). This sequencer gives jest's
// own order a time for every suite: the one jest measured on this machine when there is one, else the
// seconds recorded in suite-seconds.json (from a CI run; refresh it from `npx jest --json` when the
// slowest suites change), else one second. Longest first, so the two workers end together.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const recorded = require('./suite-seconds.json');

class SlowFirstSequencer extends Sequencer {
  time(test) {
    const measured = super.time(test);
    if (measured != null) return measured;
    const suite = path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/');
    return (recorded[suite] ?? 1) * 1000;
  }
}

module.exports = SlowFirstSequencer;
