import 'reflect-metadata';

// CI's Node 24 phase sets TEST_NODE_MAJOR=24: a worker on any other Node fails at once, not silently.
const expected = process.env.TEST_NODE_MAJOR;
if (expected && process.versions.node.split('.')[0] !== expected) {
  throw new Error(`TEST_NODE_MAJOR=${expected} but this test worker runs Node ${process.version} (${process.execPath})`);
}
