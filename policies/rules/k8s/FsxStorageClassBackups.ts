import { k8s } from '../../examples/builders';
import { defineRule } from '../../engine/rule-kit';
import { isRec, k8sDocs, refOf } from '../../engine/k8s';
import type { K8sObject } from '../../engine/types';

const FSX_PROVISIONER = 'fsx.csi.aws.com';
/** FSx for Lustre keeps automatic backups 1 to 90 days (0 turns them off). */
const MAX_DAYS = 90;

/** What keeps an FSx for Lustre StorageClass from giving its file systems daily backups, or undefined. */
function problemOf(o: K8sObject): string | undefined {
  const p = isRec(o.parameters) ? o.parameters : {};
  // The FSx CSI driver creates SCRATCH_1 file systems when no deployment type is given.
  const type = typeof p.deploymentType === 'string' ? p.deploymentType : 'SCRATCH_1';
  if (!type.startsWith('PERSISTENT')) return `creates ${type} file systems, which FSx cannot back up`;
  const days = p.automaticBackupRetentionDays;
  const n = typeof days === 'string' && /^\d+$/.test(days) ? Number(days) : NaN;
  if (days === undefined) return 'asks for no automatic backups (automaticBackupRetentionDays is not set)';
  if (!(n >= 1 && n <= MAX_DAYS))
    return `automaticBackupRetentionDays "${String(days)}" is not a whole number of days from 1 to ${MAX_DAYS}`;
  return undefined;
}

const storageClass = (parameters: Record<string, unknown>): K8sObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name: 'genesis-scratch' },
  provisioner: FSX_PROVISIONER,
  parameters: { subnetId: 'subnet-0abc', securityGroupIds: 'sg-1', ...parameters },
});
const backedUp = {
  deploymentType: 'PERSISTENT_2',
  automaticBackupRetentionDays: '30',
  dailyAutomaticBackupStartTime: '05:00',
};

export default defineRule({
  id: 'GEN-K8S-TEN-018',
  title: 'FSx for Lustre StorageClasses give their file systems daily automatic backups',
  pack: 'k8s-tenancy',
  severity: 'error',
  controls: ['CP-9', 'CP-10'],
  rationale:
    "The FSx CSI driver creates a Lustre file system per claim from its StorageClass's parameters, so those parameters are the only place its backups are decided. A class without automaticBackupRetentionDays, or one that creates SCRATCH file systems (which FSx cannot back up), leaves tenants' parallel-file-system data with no recovery point after a deletion or a failed job.",
  remediation: `On every StorageClass of provisioner ${FSX_PROVISIONER}, set deploymentType to PERSISTENT_1 or PERSISTENT_2 and automaticBackupRetentionDays to a whole number of days from 1 to ${MAX_DAYS} (as a string).`,
  *check(ctx) {
    for (const d of k8sDocs(ctx, 'StorageClass')) {
      if (d.object.provisioner !== FSX_PROVISIONER) continue;
      const problem = problemOf(d.object);
      if (problem)
        yield { resource: refOf(d), status: 'fail', message: `FSx for Lustre StorageClass ${problem}` };
    }
  },
  examples: [
    {
      name: 'a PERSISTENT_2 class with 30 days of daily backups',
      artifacts: k8s([storageClass(backedUp)]),
      expect: { fires: false },
    },
    {
      name: 'a class of another provisioner is not judged',
      artifacts: k8s([
        {
          apiVersion: 'storage.k8s.io/v1',
          kind: 'StorageClass',
          metadata: { name: 'efs' },
          provisioner: 'efs.csi.aws.com',
          parameters: { provisioningMode: 'efs-ap' },
        },
      ]),
      expect: { fires: false },
    },
    {
      name: 'no automaticBackupRetentionDays',
      artifacts: k8s([storageClass({ deploymentType: 'PERSISTENT_2' })]),
      expect: { fires: true, message: /asks for no automatic backups/ },
    },
    {
      name: 'backups turned off with 0 days',
      artifacts: k8s([storageClass({ ...backedUp, automaticBackupRetentionDays: '0' })]),
      expect: { fires: true, message: /not a whole number of days/ },
    },
    {
      name: 'more days than FSx keeps',
      artifacts: k8s([storageClass({ ...backedUp, automaticBackupRetentionDays: '365' })]),
      expect: { fires: true, message: /not a whole number of days/ },
    },
    {
      name: 'a SCRATCH_2 class',
      artifacts: k8s([storageClass({ ...backedUp, deploymentType: 'SCRATCH_2' })]),
      expect: { fires: true, message: /SCRATCH_2 file systems/ },
    },
    {
      name: 'no deployment type: the driver creates SCRATCH_1',
      artifacts: k8s([storageClass({ automaticBackupRetentionDays: '30' })]),
      expect: { fires: true, message: /SCRATCH_1/ },
    },
  ],
});
