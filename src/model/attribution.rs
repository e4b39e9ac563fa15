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
        let f = |s: Option<Sym>| s.map(|s| m[s.0 as usize]);
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

/// Distinct attribution tuples; index 0 is the empty one.
#[derive(Clone, Debug)]
pub struct AttrTable {
    map: FastMap<Attribution, u32>,
    list: Vec<Attribution>,
}

impl Default for AttrTable {
    fn default() -> Self {
        let mut map = FastMap::default();
        map.insert(Attribution::default(), 0);
        AttrTable {
            map,
            list: vec![Attribution::default()],
        }
    }
}

impl AttrTable {
    /// The index of `a`, added when new.
    pub fn intern(&mut self, a: Attribution) -> u32 {
        if let Some(&i) = self.map.get(&a) {
            return i;
        }
        let i = self.list.len() as u32;
        self.list.push(a);
        self.map.insert(a, i);
        i
    }

    /// The tuple at `i` (the empty one for an unknown index).
    pub fn get(&self, i: u32) -> &Attribution {
        self.list.get(i as usize).unwrap_or(&self.list[0])
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.len() <= 1
    }

    /// Every tuple, index order.
    pub fn iter(&self) -> impl Iterator<Item = &Attribution> {
        self.list.iter()
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
            branch: Some(Sym(3)),
            ..Attribution::default()
        };
        assert_eq!(t.intern(a), 1);
        assert_eq!(t.intern(a), 1);
        assert_eq!(t.get(1), &a);
        assert_eq!(t.get(99), &Attribution::default());
        let m = [Sym(0), Sym(0), Sym(0), Sym(7)];
        assert_eq!(a.remap(&m).branch, Some(Sym(7)));
    }
}
