//! What a response is attributed to: its git branch, and the plugin, skill, MCP server and
//! tool, sub-agent type and effort Claude Code wrote on its line. Responses carry one
//! `u32` index into a table of distinct tuples (most responses share a handful), so the
//! fields cost four bytes a response. Index 0 is the empty tuple. Holds no meaning beyond
//! the fields; `analyze::attribution` groups by them.

use super::ids::{FastMap, Sym};

/// The attribution fields of one response line, interned (None: absent or not a string).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Attribution {
    /// `gitBranch`.
    pub branch: Option<Sym>,
    /// `attributionPlugin`.
    pub plugin: Option<Sym>,
    /// `attributionSkill` (often `plugin:skill`).
    pub skill: Option<Sym>,
    /// `attributionMcpServer`.
    pub mcp_server: Option<Sym>,
    /// `attributionMcpTool`.
    pub mcp_tool: Option<Sym>,
    /// `attributionAgent`: the sub-agent type (sub-agent transcripts).
    pub agent: Option<Sym>,
    /// `effort` (e.g. `high`).
    pub effort: Option<Sym>,
}

impl Attribution {
    /// The tuple with every id mapped through `m` (a partial's ids to the global ones).
    pub fn remap(&self, m: &[Sym]) -> Attribution {
        let f = |s: Option<Sym>| s.map(|s| m[s.index() as usize]);
        Attribution {
            branch: f(self.branch),
            plugin: f(self.plugin),
            skill: f(self.skill),
            mcp_server: f(self.mcp_server),
            mcp_tool: f(self.mcp_tool),
            agent: f(self.agent),
            effort: f(self.effort),
        }
    }
}

/// Distinct attribution tuples; index 0 is the empty one. The lookup map is built on the
/// first tuple that is not empty and dropped by `compact` (a scanned file's table is only
/// read after that); a later `intern` rebuilds it.
/// The empty tuple is not stored: `list` holds index 1 on, so a file whose lines carry
/// no attribution allocates nothing, and the map is boxed (a null pointer once dropped).
#[derive(Clone, Debug, Default)]
pub struct AttrTable {
    map: Option<Box<FastMap<Attribution, u32>>>,
    /// The tuples of index 1, 2, ….
    list: Vec<Attribution>,
}

/// The empty tuple, index 0.
const EMPTY: Attribution = Attribution {
    branch: None,
    plugin: None,
    skill: None,
    mcp_server: None,
    mcp_tool: None,
    agent: None,
    effort: None,
};

impl AttrTable {
    /// The index of `a`, added when new.
    pub fn intern(&mut self, a: Attribution) -> u32 {
        if a == EMPTY {
            return 0;
        }
        let list = &self.list;
        let map = self
            .map
            .get_or_insert_with(|| Box::new((1..).zip(list).map(|(i, t)| (*t, i)).collect()));
        if let Some(&i) = map.get(&a) {
            return i;
        }
        self.list.push(a);
        let i = self.list.len() as u32;
        map.insert(a, i);
        i
    }

    /// Frees the lookup map and spare capacity (see the type's comment).
    pub fn compact(&mut self) {
        self.map = None;
        self.list.shrink_to_fit();
    }

    /// The tuple at `i` (the empty one for 0 or an unknown index).
    pub fn get(&self, i: u32) -> &Attribution {
        (i as usize)
            .checked_sub(1)
            .and_then(|k| self.list.get(k))
            .unwrap_or(&EMPTY)
    }

    /// Tuples, the empty one included.
    pub fn len(&self) -> usize {
        self.list.len() + 1
    }

    /// Whether only the empty tuple is there.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Every tuple, index order (the empty one first).
    pub fn iter(&self) -> impl Iterator<Item = &Attribution> {
        std::iter::once(&EMPTY).chain(&self.list)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_are_interned_once_and_zero_is_empty() {
        let mut t = AttrTable::default();
        assert_eq!(t.intern(Attribution::default()), 0);
        let a = Attribution {
            branch: Some(Sym::new(3)),
            ..Attribution::default()
        };
        assert_eq!(t.intern(a), 1);
        assert_eq!(t.intern(a), 1);
        assert_eq!(t.get(1), &a);
        assert_eq!(t.get(99), &Attribution::default());
        let m = [Sym::new(0), Sym::new(0), Sym::new(0), Sym::new(7)];
        assert_eq!(a.remap(&m).branch, Some(Sym::new(7)));
        t.compact();
        let b = Attribution {
            effort: Some(Sym::new(1)),
            ..Attribution::default()
        };
        assert_eq!(t.intern(a), 1, "found again after compacting");
        assert_eq!(t.intern(b), 2);
        assert_eq!(t.len(), 3);
    }
}
