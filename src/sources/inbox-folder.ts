// SPDX-License-Identifier: EUPL-1.2
/**
 * Where an inbox lives and whether this process can use it: the folder is resolved against the config's
 * own folder (as templateFile is), and it must exist and be writable (files are moved out of it, into
 * `done/` and `rejected/`, never deleted).
 */
import { access, stat } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

export function inboxDir(baseDir: string, configured: string): string {
  return path.resolve(baseDir, configured);
}

export type InboxFolderState = 'ok' | 'missing' | 'not-dir' | 'not-writable';

export async function inspectInboxFolder(dir: string): Promise<InboxFolderState> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) return 'not-dir';
  } catch {
    return 'missing';
  }
  try { await access(dir, constants.W_OK | constants.X_OK); } catch { return 'not-writable'; }
  return 'ok';
}

/** Names an inbox leaves alone: hidden files and uploads in progress by convention (`.part`, `.tmp`). */
export function ignoredInInbox(name: string): boolean {
  return name.startsWith('.') || /\.(part|tmp)$/i.test(name);
}
