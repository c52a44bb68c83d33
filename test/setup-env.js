process.env.CDK_VALIDATION = process.env.CDK_VALIDATION ?? 'false';
// Every test judges grants, agreements and exceptions on one fixed date, never on today's: the
// CLI, the CDK and cdk8s apps and the processes tests start read GENESIS_NOW when --now is not given.
process.env.GENESIS_NOW = process.env.GENESIS_NOW || require('./support/dates.ts').TEST_NOW;
