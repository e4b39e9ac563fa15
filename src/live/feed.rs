//! The transcripts of a live view, kept current between redraws: `scan::tree` keeps the
//! discovery up to date without walking every directory each time, `scan::live` reads only
//! the bytes appended since (the same parse and dedupe as a full scan). The bundled demo
//! history never changes.

use crate::model::diagnostics::Diagnostics;
use crate::scan::discover::Discovery;
use crate::scan::live::Follower;
use crate::scan::tree::{Refresh, Tree};
use crate::scan::{ReadOptions, Scan};
use std::path::PathBuf;

/// Directories and files modified within this long are looked at on every refresh.
const HOT_MS: i64 = 24 * 3_600_000;
/// Cold entries looked at per refresh.
const SWEEP: usize = 64;

pub struct Feed {
    source: Source,
    follower: Follower,
    /// The window's start (ms): older files are not read.
    since: Option<i64>,
    diag: Diagnostics,
}

enum Source {
    Demo(Discovery),
    Tree(Box<Tree>),
}

impl Feed {
    pub fn demo(found: Discovery, opts: ReadOptions) -> Feed {
        Feed::with(Source::Demo(found), opts, None)
    }

    pub fn dirs(
        roots: &[PathBuf],
        project: Option<String>,
        opts: ReadOptions,
        since: Option<i64>,
    ) -> Feed {
        Feed::with(
            Source::Tree(Box::new(Tree::new(roots, project))),
            opts,
            since,
        )
    }

    fn with(source: Source, opts: ReadOptions, since: Option<i64>) -> Feed {
        Feed {
            source,
            follower: Follower::new(opts),
            since,
            diag: Diagnostics::default(),
        }
    }

    /// Reads what changed; returns whether anything did.
    pub fn refresh(&mut self, now_ms: i64) -> bool {
        let found = match &mut self.source {
            Source::Demo(d) => d.clone(),
            Source::Tree(t) => {
                let (found, diag) = t.refresh(Refresh {
                    since: self.since,
                    hot_from: now_ms - HOT_MS,
                    sweep: SWEEP,
                });
                self.diag = diag;
                found
            }
        };
        self.follower.refresh(found)
    }

    /// The model as a fresh scan would build it now.
    pub fn scan(&self) -> Scan {
        self.follower.scan(self.diag.clone())
    }
}
