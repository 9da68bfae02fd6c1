// SPDX-License-Identifier: EUPL-1.2
/** Shapes shared by routes and views. */
import type { OperatorService } from '../../state/operator.ts';

export type RecentPost = Awaited<ReturnType<OperatorService['recentPosts']>>[number];
