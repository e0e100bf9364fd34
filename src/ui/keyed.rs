//! Per-key change notification: many views, each watching one key of a map that changes as a whole.

use leptos::prelude::*;
use std::collections::HashMap;

/// A map from ids to values, derived from the app's state, of which each view reads one key: when the
/// map changes, only the views whose key changed run again. (A thousand list rows that each read the
/// whole map would all run again, and re-subscribe, on every edit: a long task on a big plan.)
pub struct Keyed<V: 'static> {
    now: StoredValue<HashMap<String, V>, LocalStorage>,
    subs: StoredValue<HashMap<String, ArcTrigger>, LocalStorage>,
}

impl<V> Clone for Keyed<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for Keyed<V> {}

impl<V: Clone + PartialEq + 'static> Keyed<V> {
    /// Follows `source`, the whole map, as it changes.
    pub fn new(source: impl Fn() -> HashMap<String, V> + 'static) -> Keyed<V> {
        let me = Keyed {
            now: StoredValue::new_local(HashMap::new()),
            subs: StoredValue::new_local(HashMap::new()),
        };
        Effect::new(move |_| {
            let next = source();
            let changed: Vec<String> = me.now.with_value(|old| {
                let gone_or_changed = old.iter().filter(|(k, v)| next.get(*k) != Some(*v)).map(|(k, _)| k.clone());
                let added = next.keys().filter(|k| !old.contains_key(*k)).cloned();
                gone_or_changed.chain(added).collect()
            });
            me.now.set_value(next);
            me.subs.with_value(|subs| {
                for k in &changed {
                    if let Some(t) = subs.get(k) {
                        t.notify();
                    }
                }
            });
        });
        me
    }

    /// The value of `key`; the view that reads it runs again when that value changes.
    pub fn get(&self, key: &str) -> Option<V> {
        let trigger = self
            .subs
            .try_update_value(|s| s.entry(key.to_string()).or_insert_with(ArcTrigger::new).clone());
        if let Some(t) = trigger {
            t.track();
        }
        self.now.try_with_value(|m| m.get(key).cloned()).flatten()
    }

    /// Whether the map holds `key` (tracked like `get`).
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}
