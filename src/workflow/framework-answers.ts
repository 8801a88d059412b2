/**
 * Whether a framework is active for a pair of countries, asked once per list page: the requests on a
 * page mostly share one framework and pair, and asking per request cost a query each. The list query
 * answers it with each row (`pageOfRequests`); a request viewed alone asks when a guard needs it.
 */
export type FrameworkAnswers = Map<string, Promise<boolean>>;

export function frameworkKey(request: {
  frameworkId: string;
  originCountry: string;
  targetCountry: string;
}): string {
  return `${request.frameworkId}|${request.originCountry}|${request.targetCountry}`;
}
