/**
 * A CDK app with one violating construct (an unencrypted, unlogged bucket) and the platform's
 * policy plugin registered, for the `cdk synth` test.
 */
import { App, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { GenesisPolicyPlugin } from '../../../policies';

const app = new App();
Validations.of(app).addPlugins(new GenesisPolicyPlugin());
const stack = new Stack(app, 'Site-violating', { env: { account: '111122223333', region: 'us-gov-west-1' } });
new s3.Bucket(stack, 'Unencrypted', { removalPolicy: RemovalPolicy.RETAIN });
app.synth();
