/** The explicit Kubernetes provider: named context, server-side apply, stable identity, secret kubeconfig. */
import * as pulumi from '@pulumi/pulumi';
import { providerArgs, providerName } from '../../stacks/pulumi/provider';
import type { Settings } from '../../stacks/pulumi/settings';

const base: Settings = { mode: 'baseline', cluster: 'le-gpu', context: 'le-gpu-admin' };

describe('providerArgs', () => {
  it('names the context, applies server-side without force and identifies the provider by cluster', () => {
    expect(providerName('le-gpu')).toBe('k8s-le-gpu');
    expect(providerArgs(base)).toEqual({
      context: 'le-gpu-admin',
      enableServerSideApply: true,
      clusterIdentifier: 'genesis/le-gpu',
    });
  });

  it('passes a kubeconfig path as it is', () => {
    expect(providerArgs({ ...base, kubeconfig: '/etc/genesis/le-gpu.kubeconfig' }).kubeconfig).toBe(
      '/etc/genesis/le-gpu.kubeconfig',
    );
  });

  it('keeps kubeconfig contents secret', async () => {
    const contents = 'apiVersion: v1\nkind: Config\nusers: [{ name: admin, user: { token: s3cr3t } }]\n';
    const kubeconfig = providerArgs({ ...base, kubeconfig: contents }).kubeconfig;
    expect(pulumi.Output.isInstance(kubeconfig)).toBe(true);
    expect(await pulumi.isSecret(kubeconfig as pulumi.Output<string>)).toBe(true);
  });
});
