/** The vocabulary of the reachability analysis: what is reachable, the witness, and the verdict. */
import type { ResourceRef } from '../../engine/types';
import type { CidrSet } from './cidr';
import type { Service } from './ports';

/** One element of a witness: a rule, route, gateway or policy that lets the traffic through. */
export interface WitnessStep {
  /** Plain words, e.g. `route EnclaveGwCuiRt/0.0.0.0/0 -> NAT gateway Nat1`. */
  readonly text: string;
  /** The artifact that says it, where there is one. */
  readonly ref?: ResourceRef;
}

/** One opening: traffic from `from` reaches `to`, and why. */
export interface Opening {
  readonly from: string;
  readonly to: string;
  /** What reaches: protocol and ports, destinations, names. */
  readonly what: string;
  readonly witness: readonly WitnessStep[];
  /** Decided (`open`), or possibly open because something is undecidable (`undecided`). */
  readonly status: 'open' | 'undecided';
  /** For openings to the internet: addresses reached whatever the name, and names reached. */
  readonly cidrs?: CidrSet;
  readonly names?: readonly string[];
  /** The packets that pass, where one rule decides them (openings through a VPN). */
  readonly svc?: Service;
  /** The artifact a finding about this opening names (the route, rule or policy that opens it). */
  readonly culprit?: ResourceRef;
}

/** A difference between intent and effect, reported by a rule of the packs. */
export interface Difference {
  readonly target: 'aws' | 'k8s';
  readonly status: 'fail' | 'unknown';
  readonly message: string;
  /** The artifact the finding points at: the first step of the witness that has one. */
  readonly resource: ResourceRef;
}

export const witnessText = (w: readonly WitnessStep[]): string => w.map((s) => s.text).join(' -> ');

/** The resource a finding should name: the last witness step with a reference (the opening edit), else the first. */
export function witnessRef(w: readonly WitnessStep[], fallback: ResourceRef): ResourceRef {
  const withRef = w.filter((s) => s.ref !== undefined);
  return withRef.length ? (withRef[withRef.length - 1].ref as ResourceRef) : fallback;
}
