import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import type { Store } from '../../store/types.js';
import { UserError } from '../user-error.js';
import { withCliStore } from '../store.js';

/**
 * `parley privacy export|delete|retention`: data-subject requests and retention from the
 * command line, against the store `parley serve` uses (STORE, PARLEY_DATA_DIR, REDIS_URL).
 */

const Env = z.object({ PARLEY_RETENTION_DAYS: z.coerce.number().positive().default(90) });

/** Opens the server's store with the retention functions; imported on use so `parley --help` stays fast. */
async function withStore<T>(run: (store: Store, retention: typeof import('../../privacy/retention.js')) => Promise<T>): Promise<T> {
  const retention = await import('../../privacy/retention.js');
  return withCliStore((store) => run(store, retention), { mustExist: true });
}

const Days = z.coerce.number().positive().max(36_500);

export function register(program: Command): void {
  const privacy = program.command('privacy').description("Customer data: export or delete a customer's data, apply retention.");

  privacy
    .command('export <customerId>')
    .description('Write everything stored about a customer as JSON (stdout, or --out file).')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (customerId: string, opts: { out?: string }) => {
      const data = await withStore((store, { exportCustomer }) => exportCustomer(store, customerId));
      const json = `${JSON.stringify(data, null, 2)}\n`;
      if (opts.out) {
        writeFileSync(opts.out, json);
        process.stderr.write(`exported ${data.conversations.length} conversation(s), ${data.feedback.length} feedback event(s) to ${opts.out}\n`);
      } else process.stdout.write(json);
    });

  privacy
    .command('delete <customerId>')
    .description("Delete a customer's conversations and messages (recorded in the audit log).")
    .action(async (customerId: string) => {
      const { deleted } = await withStore((store, { deleteCustomer }) => deleteCustomer(store, customerId, { actor: 'cli' }));
      process.stdout.write(`deleted ${deleted} conversation(s) of ${customerId}\n`);
    });

  privacy
    .command('retention')
    .description('Delete conversations not updated for N days (default PARLEY_RETENTION_DAYS or 90).')
    .option('--days <n>', 'maximum age in days')
    .action(async (opts: { days?: string }) => {
      const parsed = Days.safeParse(opts.days ?? Env.parse(process.env).PARLEY_RETENTION_DAYS);
      if (!parsed.success) throw new UserError(`--days must be a positive number of days, got "${opts.days}"`);
      const { deleted, cutoff } = await withStore((store, { applyRetention }) => applyRetention(store, { maxAgeDays: parsed.data }));
      process.stdout.write(`deleted ${deleted} conversation(s) last updated before ${new Date(cutoff).toISOString()}\n`);
    });
}
