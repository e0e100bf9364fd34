//! The region catalog: which Alibaba Cloud region belongs to which CEN area, and since when.
//!
//! The table is data, not code (rulebook CEN-AREA-001): each entry carries the date of the source that
//! first listed it and, where a later source dropped it, the date of that source. A plan is checked
//! "as of" a date (its `settings.as_of`), so the same plan can be read with the seed table of
//! August 2018 or with today's table. CCN areas (rulebook CEN-CCN-001) are here too.

use super::date::Date;
use serde::{Deserialize, Serialize};

/// A CEN geographic area, serialised with the API id (`China`, `Asia-Pacific`, ...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Area {
    /// Mainland China.
    #[default]
    #[serde(rename = "China")]
    China,
    /// Asia Pacific (includes Hong Kong).
    #[serde(rename = "Asia-Pacific")]
    AsiaPacific,
    /// North America.
    #[serde(rename = "North-America")]
    NorthAmerica,
    /// Europe.
    #[serde(rename = "Europe")]
    Europe,
    /// Australia.
    #[serde(rename = "Australia")]
    Australia,
    /// Middle East: an accepted API value; its region list is not documented ([INF]).
    #[serde(rename = "Middle-East")]
    MiddleEast,
}

impl Area {
    /// Every area, in the order the documentation lists them.
    pub const ALL: [Area; 6] = [
        Area::China,
        Area::AsiaPacific,
        Area::NorthAmerica,
        Area::Europe,
        Area::Australia,
        Area::MiddleEast,
    ];

    /// The API id (`China`, `Asia-Pacific`, ...), as written in plan files.
    pub fn api_id(self) -> &'static str {
        match self {
            Area::China => "China",
            Area::AsiaPacific => "Asia-Pacific",
            Area::NorthAmerica => "North-America",
            Area::Europe => "Europe",
            Area::Australia => "Australia",
            Area::MiddleEast => "Middle-East",
        }
    }

    /// The name the console shows.
    pub fn label(self) -> &'static str {
        match self {
            Area::China => "Mainland China",
            Area::AsiaPacific => "Asia Pacific",
            Area::NorthAmerica => "North America",
            Area::Europe => "Europe",
            Area::Australia => "Australia",
            Area::MiddleEast => "Middle East",
        }
    }

    /// Parses an API id as written in plan files.
    pub fn from_api_id(id: &str) -> Option<Area> {
        Area::ALL.into_iter().find(|a| a.api_id() == id)
    }
}

/// A Smart Access Gateway / CCN area (rulebook CEN-CCN-001), serialised in kebab case.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CcnArea {
    /// Mainland China.
    #[default]
    MainlandChina,
    /// Hong Kong.
    HongKong,
    /// Singapore.
    Singapore,
    /// Malaysia (Kuala Lumpur).
    KualaLumpur,
    /// Indonesia (Jakarta): listed from 2021.
    Jakarta,
    /// Japan (Tokyo).
    Tokyo,
    /// India (Mumbai): listed in 2018 only.
    Mumbai,
    /// North America: listed in 2018 only.
    NorthAmerica,
    /// Europe (Frankfurt).
    Europe,
    /// Australia (Sydney).
    Australia,
}

impl CcnArea {
    /// Every CCN area.
    pub const ALL: [CcnArea; 10] = [
        CcnArea::MainlandChina,
        CcnArea::HongKong,
        CcnArea::Singapore,
        CcnArea::KualaLumpur,
        CcnArea::Jakarta,
        CcnArea::Tokyo,
        CcnArea::Mumbai,
        CcnArea::NorthAmerica,
        CcnArea::Europe,
        CcnArea::Australia,
    ];

    /// The value written in plan files.
    pub fn key(self) -> &'static str {
        match self {
            CcnArea::MainlandChina => "mainland-china",
            CcnArea::HongKong => "hong-kong",
            CcnArea::Singapore => "singapore",
            CcnArea::KualaLumpur => "kuala-lumpur",
            CcnArea::Jakarta => "jakarta",
            CcnArea::Tokyo => "tokyo",
            CcnArea::Mumbai => "mumbai",
            CcnArea::NorthAmerica => "north-america",
            CcnArea::Europe => "europe",
            CcnArea::Australia => "australia",
        }
    }

    /// The name the Smart Access Gateway console shows.
    pub fn label(self) -> &'static str {
        match self {
            CcnArea::MainlandChina => "Mainland China",
            CcnArea::HongKong => "Hong Kong",
            CcnArea::Singapore => "Singapore",
            CcnArea::KualaLumpur => "Malaysia (Kuala Lumpur)",
            CcnArea::Jakarta => "Indonesia (Jakarta)",
            CcnArea::Tokyo => "Japan (Tokyo)",
            CcnArea::Mumbai => "India (Mumbai)",
            CcnArea::NorthAmerica => "North America",
            CcnArea::Europe => "Europe",
            CcnArea::Australia => "Australia",
        }
    }

    /// The CEN area this CCN area maps to (seed 002 table).
    pub fn cen_area(self) -> Area {
        match self {
            CcnArea::MainlandChina => Area::China,
            CcnArea::HongKong | CcnArea::Singapore | CcnArea::KualaLumpur | CcnArea::Jakarta | CcnArea::Tokyo | CcnArea::Mumbai => {
                Area::AsiaPacific
            }
            CcnArea::NorthAmerica => Area::NorthAmerica,
            CcnArea::Europe => Area::Europe,
            CcnArea::Australia => Area::Australia,
        }
    }

    /// Parses the value written in plan files.
    pub fn from_key(key: &str) -> Option<CcnArea> {
        CcnArea::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// When a region entered or left the area table: on a known date (the date of the first source that
/// shows the change), or at an unknown time between the last source that did not show it yet (`after`)
/// and the first that does (`by`, for the current help page the day it was read). The day a page was
/// read is never taken as the date of the change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// On this date.
    On(Date),
    /// Some time after `after` and no later than `by`.
    Between {
        /// The last source known not to show the change.
        after: Date,
        /// The first source known to show it.
        by: Date,
    },
}

impl Change {
    /// Whether the change has happened by `as_of`: `Some(true)`/`Some(false)`, or `None` when unknown.
    pub fn happened(self, as_of: Date) -> Option<bool> {
        match self {
            Change::On(d) => Some(as_of >= d),
            Change::Between { after, .. } if as_of <= after => Some(false),
            Change::Between { by, .. } if as_of >= by => Some(true),
            Change::Between { .. } => None,
        }
    }
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::On(d) => write!(f, "{d}"),
            Change::Between { after, by } => write!(f, "an unknown date after {after} (by {by})"),
        }
    }
}

/// Whether the area table in force on a date lists a region.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listing {
    /// Listed.
    Listed,
    /// Not listed.
    NotListed,
    /// Not known: the date falls between the sources (the change's date is not known).
    Unknown,
}

/// One region of the catalog with the dates of the sources that list it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CatalogRegion {
    /// API id, e.g. `cn-hangzhou`.
    pub id: &'static str,
    /// Console name, e.g. `China (Hangzhou)`.
    pub name: &'static str,
    /// The CEN area it belongs to.
    pub area: Area,
    /// When it entered the area table.
    pub listed_from: Change,
    /// When it left the area table, if it did.
    pub listed_until: Option<Change>,
    /// Where the listing comes from (rulebook §0 short names).
    pub source: &'static str,
    /// `true` when the id ↔ name mapping is the rulebook's inference ([INF]).
    pub inferred: bool,
}

impl CatalogRegion {
    /// Whether the area table in force on `as_of` lists this region, or `Unknown` between sources.
    pub fn listing(&self, as_of: Date) -> Listing {
        let entered = self.listed_from.happened(as_of);
        let left = self.listed_until.map_or(Some(false), |u| u.happened(as_of));
        match (entered, left) {
            (Some(false), _) | (_, Some(true)) => Listing::NotListed,
            (Some(true), Some(false)) => Listing::Listed,
            _ => Listing::Unknown,
        }
    }

    /// Whether the area table in force on `as_of` is known to list this region.
    pub fn listed_on(&self, as_of: Date) -> bool {
        self.listing(as_of) == Listing::Listed
    }
}

/// Date of the seed area table (seed 001 = backbonenet commit 772829f, 2018-08-27).
pub const SEED_TABLE_DATE: Date = Date::new(2018, 8, 27);
/// Date of the 2019 documentation set (backbonenet HEAD, 2019-09-19), the seeds' latest source.
pub const DOCS_2019_DATE: Date = Date::new(2019, 9, 19);
/// Date on which the rulebook read the current help pages.
pub const CURRENT_TABLE_DATE: Date = Date::new(2026, 11, 1);

const SEED: &str = "seed 001 (area table, 2018-08)";
/// A change shown by the current help page but not by the 2019 documents: its date is not known.
const UNKNOWN_SINCE_2019: Change = Change::Between {
    after: DOCS_2019_DATE,
    by: CURRENT_TABLE_DATE,
};

/// A region the current help page lists and the 2019 documents do not: listed from an unknown date.
const fn current(id: &'static str, name: &'static str, area: Area, source: &'static str) -> CatalogRegion {
    CatalogRegion {
        listed_from: UNKNOWN_SINCE_2019,
        ..region(id, name, area, CURRENT_TABLE_DATE, source)
    }
}
const CURRENT: &str = "current help page (read 2026-11)";

const fn region(id: &'static str, name: &'static str, area: Area, from: Date, source: &'static str) -> CatalogRegion {
    CatalogRegion {
        id,
        name,
        area,
        listed_from: Change::On(from),
        listed_until: None,
        source,
        inferred: false,
    }
}

/// The whole catalog, seed table first, then the later additions.
pub const REGIONS: &[CatalogRegion] = &[
    region("cn-qingdao", "China (Qingdao)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-beijing", "China (Beijing)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-zhangjiakou", "China (Zhangjiakou)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-shenzhen", "China (Shenzhen)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-hangzhou", "China (Hangzhou)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-shanghai", "China (Shanghai)", Area::China, SEED_TABLE_DATE, SEED),
    region("cn-huhehaote", "China (Hohhot)", Area::China, SEED_TABLE_DATE, SEED),
    region("us-west-1", "US (Silicon Valley)", Area::NorthAmerica, SEED_TABLE_DATE, SEED),
    region("us-east-1", "US (Virginia)", Area::NorthAmerica, SEED_TABLE_DATE, SEED),
    region("cn-hongkong", "China (Hong Kong)", Area::AsiaPacific, SEED_TABLE_DATE, SEED),
    region("ap-southeast-1", "Singapore", Area::AsiaPacific, SEED_TABLE_DATE, SEED),
    region(
        "ap-southeast-3",
        "Malaysia (Kuala Lumpur)",
        Area::AsiaPacific,
        SEED_TABLE_DATE,
        SEED,
    ),
    region("ap-northeast-1", "Japan (Tokyo)", Area::AsiaPacific, SEED_TABLE_DATE, SEED),
    CatalogRegion {
        listed_until: Some(UNKNOWN_SINCE_2019),
        source: "seed 001 (area table, 2018-08); in the 2019 documents; not on the current help page",
        ..region("ap-south-1", "India (Mumbai)", Area::AsiaPacific, SEED_TABLE_DATE, SEED)
    },
    region("ap-southeast-5", "Indonesia (Jakarta)", Area::AsiaPacific, SEED_TABLE_DATE, SEED),
    region("eu-central-1", "Germany (Frankfurt)", Area::Europe, SEED_TABLE_DATE, SEED),
    region("ap-southeast-2", "Australia (Sydney)", Area::Australia, SEED_TABLE_DATE, SEED),
    // Later additions.
    region(
        "eu-west-1",
        "UK (London)",
        Area::Europe,
        Date::new(2018, 9, 1),
        "backbonenet history (2018-09), all 2019 docs",
    ),
    CatalogRegion {
        listed_until: Some(Change::On(Date::new(2019, 1, 1))),
        ..region(
            "cn-wuhan",
            "China (Wuhan)",
            Area::China,
            Date::new(2018, 9, 1),
            "backbonenet history: listed 2018-09, removed by early 2019",
        )
    },
    current("cn-wulanchabu", "China (Ulanqab)", Area::China, CURRENT),
    current("cn-heyuan", "China (Heyuan)", Area::China, CURRENT),
    current("cn-guangzhou", "China (Guangzhou)", Area::China, CURRENT),
    current("cn-nanjing", "China (Nanjing - Local Region)", Area::China, CURRENT),
    current("cn-fuzhou", "China (Fuzhou - Local Region)", Area::China, CURRENT),
    current("cn-chengdu", "China (Chengdu)", Area::China, CURRENT),
    CatalogRegion {
        inferred: true,
        ..current("ap-southeast-6", "Philippines (Manila)", Area::AsiaPacific, CURRENT)
    },
    CatalogRegion {
        inferred: true,
        ..current("ap-northeast-2", "South Korea (Seoul)", Area::AsiaPacific, CURRENT)
    },
    CatalogRegion {
        inferred: true,
        ..current("ap-southeast-7", "Thailand (Bangkok)", Area::AsiaPacific, CURRENT)
    },
    CatalogRegion {
        inferred: true,
        ..current(
            "me-east-1",
            "UAE (Dubai)",
            Area::MiddleEast,
            "API/Terraform area enum; membership inferred",
        )
    },
];

/// Looks a region up by API id, whatever its dates.
pub fn find(id: &str) -> Option<&'static CatalogRegion> {
    REGIONS.iter().find(|r| r.id == id)
}

/// The regions listed in the area table in force on `as_of`.
pub fn listed_on(as_of: Date) -> impl Iterator<Item = &'static CatalogRegion> {
    REGIONS.iter().filter(move |r| r.listed_on(as_of))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_table_has_the_seventeen_regions_of_seed_001() {
        let seed: Vec<_> = listed_on(SEED_TABLE_DATE).collect();
        assert_eq!(seed.len(), 17);
        let count = |a: Area| seed.iter().filter(|r| r.area == a).count();
        assert_eq!(count(Area::China), 7);
        assert_eq!(count(Area::NorthAmerica), 2);
        assert_eq!(count(Area::AsiaPacific), 6);
        assert_eq!(count(Area::Europe), 1);
        assert_eq!(count(Area::Australia), 1);
    }

    #[test]
    fn hong_kong_is_asia_pacific_not_mainland() {
        assert_eq!(find("cn-hongkong").unwrap().area, Area::AsiaPacific);
    }

    #[test]
    fn later_regions_appear_and_disappear_with_their_dates() {
        let london = find("eu-west-1").unwrap();
        assert!(!london.listed_on(SEED_TABLE_DATE));
        assert!(london.listed_on(DOCS_2019_DATE));
        let wuhan = find("cn-wuhan").unwrap();
        assert!(wuhan.listed_on(Date::new(2018, 10, 1)));
        assert!(!wuhan.listed_on(DOCS_2019_DATE));
        let mumbai = find("ap-south-1").unwrap();
        assert!(mumbai.listed_on(DOCS_2019_DATE));
        assert!(!mumbai.listed_on(Date::new(2026, 11, 23)));
        assert!(find("cn-chengdu").unwrap().listed_on(Date::new(2026, 11, 23)));
        assert!(!find("cn-chengdu").unwrap().listed_on(DOCS_2019_DATE));
    }

    /// A region the current page lists and the 2019 documents do not was added on a date nobody
    /// recorded: between the two it is unknown, never "listed from" the day the page was read.
    #[test]
    fn a_change_of_unknown_date_is_unknown_between_its_sources() {
        let chengdu = find("cn-chengdu").unwrap();
        assert_eq!(chengdu.listing(DOCS_2019_DATE), Listing::NotListed);
        assert_eq!(chengdu.listing(Date::new(2023, 1, 1)), Listing::Unknown);
        assert_eq!(chengdu.listing(CURRENT_TABLE_DATE), Listing::Listed);
        let mumbai = find("ap-south-1").unwrap();
        assert_eq!(mumbai.listing(Date::new(2023, 1, 1)), Listing::Unknown);
        assert_eq!(find("cn-hangzhou").unwrap().listing(Date::new(2023, 1, 1)), Listing::Listed);
        assert!(
            !chengdu.listed_from.to_string().contains(&CURRENT_TABLE_DATE.to_string())
                || chengdu.listed_from.to_string().contains("unknown")
        );
    }

    #[test]
    fn ids_are_unique_and_areas_round_trip() {
        for (i, r) in REGIONS.iter().enumerate() {
            assert!(REGIONS[i + 1..].iter().all(|o| o.id != r.id), "{} twice", r.id);
        }
        for a in Area::ALL {
            assert_eq!(Area::from_api_id(a.api_id()), Some(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.api_id()));
        }
        for c in CcnArea::ALL {
            assert_eq!(CcnArea::from_key(c.key()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.key()));
        }
        assert_eq!(CcnArea::HongKong.cen_area(), Area::AsiaPacific);
    }
}
