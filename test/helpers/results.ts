/* A minimal doctor result of a given verdict, for unit tests of what reads results (fleet, wait). */
import type { JwtDoctorResult, Verdict } from '../../src/doctor/types.js';

export const resultOf = (verdict: Verdict): JwtDoctorResult => ({
  verdict,
  cause: null,
  checks: [],
  fixes: [],
  attempts: [],
  tokenRequests: 0,
  loginCommand: null,
  inputs: [],
  ignoredFlags: [],
});
