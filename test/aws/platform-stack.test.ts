/**
 * PlatformStack (stacks/aws/platform-stack.ts) allocates each element's logical ID once: the
 * template is the one a plain CDK Stack writes for the same constructs (renames and overrides
 * included), and the CDK's allocation runs once per element instead of at every resolution.
 */
import { App, CfnOutput, CfnResource, Fn, Stack, type CfnElement } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PlatformStack } from '../../stacks/aws/platform-stack';

/** The topic's logical ID as the CDK allocates it (a hash of its path), for the rename below. */
const TOPIC_ID = ((): string => {
  const stack = new Stack(new App(), 'Probe');
  const topic = new CfnResource(new Construct(new Construct(stack, 'Outer'), 'Inner'), 'Topic', {
    type: 'AWS::SNS::Topic',
  });
  return stack.resolve(topic.logicalId) as string;
})();

/** The same constructs in any stack: nested, referring to each other, one renamed, one overridden. */
function populate(stack: Stack): void {
  const outer = new Construct(stack, 'Outer');
  const a = new CfnResource(outer, 'Resource', { type: 'AWS::SQS::Queue' });
  const b = new CfnResource(new Construct(outer, 'Inner'), 'Topic', {
    type: 'AWS::SNS::Topic',
    properties: { DisplayName: Fn.getAtt(a.logicalId, 'QueueName'), Tags: [{ Key: 'q', Value: a.ref }] },
  });
  const c = new CfnResource(stack, 'Overridden', { type: 'AWS::SQS::Queue' });
  c.overrideLogicalId('ChosenName');
  new CfnOutput(stack, 'TopicName', { value: b.getAtt('TopicName').toString() });
  stack.renameLogicalId(TOPIC_ID, 'RenamedTopic');
}

/** Calls of Stack.prototype.allocateLogicalId (the CDK's own allocation), per element. */
function countingAllocations(): { calls: Map<CfnElement, number>; restore: () => void } {
  const proto = Stack.prototype as unknown as { allocateLogicalId(e: CfnElement): string };
  const original = proto.allocateLogicalId;
  const calls = new Map<CfnElement, number>();
  proto.allocateLogicalId = function (this: Stack, e: CfnElement): string {
    calls.set(e, (calls.get(e) ?? 0) + 1);
    return original.call(this, e);
  };
  return { calls, restore: () => (proto.allocateLogicalId = original) };
}

function template(make: (app: App) => Stack): { template: unknown; calls: Map<CfnElement, number> } {
  const counting = countingAllocations();
  try {
    const app = new App();
    const stack = make(app);
    populate(stack);
    const assembly = app.synth();
    return { template: assembly.getStackByName(stack.stackName).template, calls: counting.calls };
  } finally {
    counting.restore();
  }
}

test('the template of a plain CDK stack, renames and overrides included', () => {
  const plain = template((app) => new Stack(app, 'Plain', { stackName: 'S' }));
  const platform = template((app) => new PlatformStack(app, 'Platform', { stackName: 'S' }));
  expect(platform.template).toStrictEqual(plain.template);
  const resources = Object.keys((platform.template as { Resources: object }).Resources).sort();
  expect(resources).toHaveLength(3);
  expect(resources).toEqual(expect.arrayContaining(['ChosenName', 'RenamedTopic']));
  expect(TOPIC_ID).toMatch(/^OuterInnerTopic[0-9A-F]{8}$/);
});

test("the CDK's allocation runs once per element, where a plain stack runs it at every resolution", () => {
  const plain = template((app) => new Stack(app, 'Plain'));
  const platform = template((app) => new PlatformStack(app, 'Platform'));
  expect(Math.max(...plain.calls.values())).toBeGreaterThan(1);
  expect(platform.calls.size).toBe(plain.calls.size);
  expect([...platform.calls.values()].every((n) => n === 1)).toBe(true);
});
