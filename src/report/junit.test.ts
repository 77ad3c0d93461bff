import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestStepResultStatus } from '@cucumber/messages';
import { junitXml, testCaseName } from './junit.ts';
import type { ScenarioResult } from './verdicts.ts';

const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

function scenario(over: Partial<ScenarioResult>): ScenarioResult {
  return {
    pickleId: 'p',
    name: 'x',
    uri: 'features/b.feature',
    line: 1,
    lineage: { feature: 'Files', scenario: 'x' },
    tags: [],
    requirements: [],
    verdict: 'passed',
    steps: [],
    traces: [],
    started: at(1_000),
    finished: at(1_042),
    ...over,
  };
}

test('a testcase is named by rule, scenario, Examples and example number, with the pickle when parameterised', () => {
  assert.equal(testCaseName({ feature: 'F', scenario: 'plain' }, 'plain'), 'plain');
  assert.equal(testCaseName({ feature: 'F', rule: 'R', scenario: 'plain' }, 'plain'), 'R - plain');
  assert.equal(
    testCaseName({ scenario: 'read <n>', examples: 'sizes', example: { block: 1, row: 2 } }, 'read 8'),
    'read <n> - sizes - #2.3: read 8',
  );
  assert.equal(testCaseName({ scenario: 'same', examples: '', example: { block: 0, row: 0 } }, 'same'), 'same - #1.1');
  assert.equal(testCaseName({}, 'pickle only'), 'pickle only');
});

test('scenarios in file and line order; errors, failures, skips and output as JUnit readers expect them', () => {
  const failed = scenario({
    name: 'fails',
    uri: 'features/a.feature',
    line: 20,
    lineage: { feature: 'A & B', scenario: 'fails' },
    verdict: 'inconclusive',
    decisive: {
      result: {
        status: TestStepResultStatus.FAILED,
        duration: { seconds: 0, nanos: 0 },
        exception: { type: 'Error', message: 'a\n"b" <c>\u0001', stackTrace: 'Error: a ]]> b' },
      },
    },
    steps: [{ keyword: 'When ', text: 'I select the MF', status: TestStepResultStatus.FAILED }],
  });
  const xml = junitXml(
    {
      scenarios: [
        scenario({
          name: 'later',
          lineage: { feature: 'Files', scenario: 'later' },
          line: 9,
          verdict: 'not-applicable',
          decisive: { result: { status: TestStepResultStatus.SKIPPED, duration: { seconds: 0, nanos: 0 } } },
        }),
        failed,
        scenario({ name: 'first', uri: 'features/a.feature', line: 3, lineage: { feature: 'A & B', scenario: 'first' } }),
        scenario({
          name: 'not conforming',
          uri: 'features/a.feature',
          line: 30,
          lineage: { feature: 'A & B', scenario: 'not conforming' },
          requirements: ['CARD-RB-02', 'CARD-SEL-04'],
          verdict: 'non-conforming',
          reason: 'expected status word 6B00, card answered 9000',
          decisive: {
            result: {
              status: TestStepResultStatus.FAILED,
              duration: { seconds: 0, nanos: 0 },
              exception: { type: 'AssertionError', message: 'expected status word 6B00, card answered 9000', stackTrace: 'at x.ts:1' },
            },
          },
        }),
      ],
      runStarted: at(1_700_000_000_000),
      runFinished: at(1_700_000_002_500),
    },
    'ssc-lab',
  );
  assert.equal(
    xml,
    [
      '<?xml version="1.0"?>',
      '<testsuite name="ssc-lab" time="2.5" tests="4" skipped="1" failures="1" errors="1" timestamp="2023-11-14T22:13:20Z">',
      '  <testcase classname="A &amp; B" name="first" time="0.042"/>',
      '  <testcase classname="A &amp; B" name="fails" time="0.042">',
      '    <error type="Error" message="a&#xA;&quot;b&quot; &lt;c>"><![CDATA[Error: a ]]]]><![CDATA[> b]]></error>',
      `    <system-out><![CDATA[${'When I select the MF'.padEnd(76, '.')}failed]]></system-out>`,
      '  </testcase>',
      '  <testcase classname="A &amp; B" name="not conforming" time="0.042">',
      '    <failure type="non-conformity" message="CARD-RB-02: expected status word 6B00, card answered 9000"><![CDATA[expected status word 6B00, card answered 9000]]></failure>',
      '  </testcase>',
      '  <testcase classname="Files" name="later" time="0.042">',
      '    <skipped/>',
      '  </testcase>',
      '</testsuite>',
    ].join('\n'),
  );
  assert.equal(
    junitXml({ scenarios: [] }, 'empty'),
    '<?xml version="1.0"?>\n<testsuite name="empty" time="0" tests="0" skipped="0" failures="0" errors="0"/>',
  );
});
