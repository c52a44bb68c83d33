/**
 * A minimal Pulumi resource monitor (the gRPC service the engine serves to a program), so that
 * the program can be run by Pulumi's own Node.js runner, `@pulumi/pulumi/cmd/run`, exactly as the
 * nodejs language host starts it, without the pulumi CLI. It accepts every registration, echoes
 * inputs back as outputs, serves StackReference reads from a map, and records what it saw.
 *
 * gRPC and the protobuf messages are taken from @pulumi/pulumi's own dependencies, so that the
 * wire format is the one the SDK speaks.
 */
import * as path from 'node:path';

const pulumiDir = path.dirname(require.resolve('@pulumi/pulumi/package.json'));
// The gRPC modules of the Pulumi SDK itself, resolved from its folder so the versions match.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fromPulumi = (id: string): any => require(require.resolve(id, { paths: [pulumiDir] }));

const grpc = fromPulumi('@grpc/grpc-js');
const services = fromPulumi('@pulumi/pulumi/proto/resource_grpc_pb.js');
const messages = fromPulumi('@pulumi/pulumi/proto/resource_pb.js');
const { Struct } = fromPulumi('google-protobuf/google/protobuf/struct_pb.js');
const { Empty } = fromPulumi('google-protobuf/google/protobuf/empty_pb.js');

export interface MonitorRegistration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly remote: boolean;
  readonly provider: string;
  /** URNs of the resources it waits for (`dependsOn` and input dependencies). */
  readonly dependencies: readonly string[];
  readonly inputs: Record<string, any>;
}

export interface FakeMonitor {
  readonly address: string;
  readonly registrations: MonitorRegistration[];
  /** Outputs the program registered on its root Stack resource. */
  readonly stackOutputs: () => Record<string, any> | undefined;
  close(): Promise<void>;
}

/** Features the monitor claims; the SDK degrades gracefully for the others. */
const FEATURES = new Set(['secrets']);

/** Removes Pulumi's secret wrappers (`{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`). */
function unwrapSecrets(v: any): any {
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (v && typeof v === 'object') {
    if (v['4dabf18193072939515e22adb298388d'] === '1b47061264138c4ac30d75fd1eb44270')
      return unwrapSecrets(v.value);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

export async function startFakeMonitor(
  project: string,
  stack: string,
  otherStacks: Record<string, Record<string, unknown>> = {},
): Promise<FakeMonitor> {
  const registrations: MonitorRegistration[] = [];
  let stackUrn = '';
  let outputs: Record<string, any> | undefined;
  const urnOf = (type: string, name: string): string => `urn:pulumi:${stack}::${project}::${type}::${name}`;

  const server = new grpc.Server();
  server.addService(services.ResourceMonitorService, {
    supportsFeature(call: any, cb: any) {
      const resp = new messages.SupportsFeatureResponse();
      resp.setHassupport(FEATURES.has(call.request.getId()));
      cb(null, resp);
    },
    registerResource(call: any, cb: any) {
      const req = call.request;
      const inputs = unwrapSecrets(req.getObject()?.toJavaScript() ?? {});
      const type: string = req.getType();
      const name: string = req.getName();
      registrations.push({
        type,
        name,
        custom: req.getCustom(),
        remote: req.getRemote(),
        provider: req.getProvider(),
        dependencies: req.getDependenciesList(),
        inputs,
      });
      const urn = urnOf(type, name);
      if (type === 'pulumi:pulumi:Stack') stackUrn = urn;
      const resp = new messages.RegisterResourceResponse();
      resp.setUrn(urn);
      if (req.getCustom()) resp.setId(`${name}-id`);
      resp.setObject(Struct.fromJavaScript(req.getObject()?.toJavaScript() ?? {}));
      cb(null, resp);
    },
    readResource(call: any, cb: any) {
      const req = call.request;
      const type: string = req.getType();
      const props = req.getProperties()?.toJavaScript() ?? {};
      registrations.push({
        type,
        name: req.getName(),
        custom: true,
        remote: false,
        provider: req.getProvider(),
        dependencies: req.getDependenciesList(),
        inputs: props,
      });
      const resp = new messages.ReadResourceResponse();
      resp.setUrn(urnOf(type, req.getName()));
      const state =
        type === 'pulumi:pulumi:StackReference'
          ? { name: props.name, outputs: otherStacks[String(props.name)] ?? {}, secretOutputNames: [] }
          : props;
      resp.setProperties(Struct.fromJavaScript(state));
      cb(null, resp);
    },
    registerResourceOutputs(call: any, cb: any) {
      if (call.request.getUrn() === stackUrn)
        outputs = unwrapSecrets(call.request.getOutputs()?.toJavaScript() ?? {});
      cb(null, new Empty());
    },
    invoke(call: any, cb: any) {
      cb({ code: grpc.status.UNIMPLEMENTED, details: `no invoke ${call.request.getTok()}` });
    },
  });
  const port: number = await new Promise((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpc.ServerCredentials.createInsecure(),
      (err: Error | null, p: number) => (err ? reject(err) : resolve(p)),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    registrations,
    stackOutputs: () => outputs,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
