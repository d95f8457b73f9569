/**
 * A vitest JSON report of the law suite (`npx vitest run properties --reporter=json
 * --outputFile=PATH`): vitest's own format, of which the report reads the law tests' titles,
 * statuses and failure messages (and `optimlab bench --law-report` the times).
 */
import { arr, num, obj, optional, str, type Infer } from './check.js';

export const vitestReport = obj({
  numTotalTests: num({ int: true, min: 0 }),
  numPassedTests: optional(num({ int: true, min: 0 })),
  numFailedTests: optional(num({ int: true, min: 0 })),
  startTime: optional(num()),
  testResults: arr(
    obj({
      name: optional(str({ max: 10_000 })),
      startTime: optional(num()),
      endTime: optional(num()),
      assertionResults: optional(
        arr(
          obj({
            ancestorTitles: arr(str({ max: 10_000 }), { max: 100 }),
            title: str({ max: 10_000 }),
            status: str({ max: 100 }),
            failureMessages: optional(arr(str(), { max: 1000 })),
          }),
          { max: 1_000_000 },
        ),
      ),
    }),
    { max: 100_000 },
  ),
});
export type VitestReport = Infer<typeof vitestReport>;
