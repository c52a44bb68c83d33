/** The stack configuration as the program reads it: every `genesis:` key of the Pulumi config. */
import * as pulumi from '@pulumi/pulumi';
import { CONFIG_NAMESPACE, type ConfigSource } from './settings';

/**
 * Reads the whole config map once, so that unknown `genesis:` keys can be reported and secret
 * values (a kubeconfig) are read without Pulumi's "use getSecret" warning; the provider marks
 * kubeconfig contents secret again.
 */
export function pulumiConfigSource(): ConfigSource {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const values = new Map<string, string>();
  for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
    if (k.startsWith(prefix)) values.set(k.slice(prefix.length), v);
  }
  return { get: (key) => values.get(key), keys: () => [...values.keys()] };
}
