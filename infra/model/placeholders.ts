/**
 * The example values that `genesis tenant init` writes into a new tenant file. They keep the
 * template readable and schema-valid, but a file that still holds one of them is not a partner's
 * spec: loading refuses it and names each value to replace.
 */
export const TEMPLATE_PLACEHOLDERS = {
  organisation: 'Example Organisation Inc.',
  agreementId: 'CRADA-0000-0000',
  names: ['Your Name', 'Security Officer'],
  emails: ['you@example.com', 'security@example.com'],
  purpose: 'Describe the research purpose',
} as const;
