//! The parent tree of kinds with `tree = true` (sectors): cycle detection.

use crate::content::pages::PageId;

/// Finds the cycles in a parent map (indexed by id). Each cycle is
/// returned once, starting at its smallest id, in parent order.
pub fn cycles(parent: &[Option<PageId>]) -> Vec<Vec<PageId>> {
    // 0 = unvisited, 1 = on the current path, 2 = done.
    let mut state = vec![0u8; parent.len()];
    let mut found = Vec::new();
    for start in 0..parent.len() {
        if state[start] != 0 {
            continue;
        }
        let mut path = Vec::new();
        let mut current = Some(PageId(start as u32));
        while let Some(id) = current {
            match state[id.index()] {
                0 => {
                    state[id.index()] = 1;
                    path.push(id);
                    current = parent[id.index()];
                }
                1 => {
                    // `id` is on the current path: the cycle is from there on.
                    let from = path.iter().position(|&p| p == id).unwrap_or(0);
                    let mut cycle = path[from..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, p)| **p)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min);
                    found.push(cycle);
                    break;
                }
                _ => break,
            }
        }
        for id in path {
            state[id.index()] = 2;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(i: u32) -> Option<PageId> {
        Some(PageId(i))
    }

    #[test]
    fn no_cycles_in_a_tree() {
        assert!(cycles(&[None, p(0), p(0), p(1)]).is_empty());
    }

    #[test]
    fn finds_each_cycle_once() {
        // 0 -> 1 -> 2 -> 0, 3 -> 0 (leads into the cycle), 4 -> 4
        let parent = [p(1), p(2), p(0), p(0), p(4)];
        let c = cycles(&parent);
        assert_eq!(
            c,
            vec![vec![PageId(0), PageId(1), PageId(2)], vec![PageId(4)]]
        );
    }
}
