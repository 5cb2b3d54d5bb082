//! The names, places and words synthetic rows are made of, and the generator that picks them.

use entity::sea_orm_active_enums::{EventKind, Region};

/// splitmix64: small, fast and the same everywhere.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64, stream: u64) -> Self {
        Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// (ISO code, city, region, time zone)
pub(super) const PLACES: &[(&str, &str, Region, &str)] = &[
    ("MX", "Mexico City", Region::Latam, "America/Mexico_City"),
    ("BR", "Sao Paulo", Region::Latam, "America/Sao_Paulo"),
    ("CO", "Bogota", Region::Latam, "America/Bogota"),
    ("PE", "Lima", Region::Latam, "America/Lima"),
    (
        "AR",
        "Buenos Aires",
        Region::Latam,
        "America/Argentina/Buenos_Aires",
    ),
    ("GT", "Guatemala City", Region::Latam, "America/Guatemala"),
    ("US", "Austin", Region::NorthAmerica, "America/Chicago"),
    ("US", "Seattle", Region::NorthAmerica, "America/Los_Angeles"),
    ("CA", "Toronto", Region::NorthAmerica, "America/Toronto"),
    ("GB", "London", Region::Europe, "Europe/London"),
    ("DE", "Munich", Region::Europe, "Europe/Berlin"),
    ("FR", "Paris", Region::Europe, "Europe/Paris"),
    ("ES", "Madrid", Region::Europe, "Europe/Madrid"),
    ("IT", "Milan", Region::Europe, "Europe/Rome"),
    ("NL", "Amsterdam", Region::Europe, "Europe/Amsterdam"),
    ("NO", "Oslo", Region::Europe, "Europe/Oslo"),
    ("PL", "Warsaw", Region::Europe, "Europe/Warsaw"),
    ("RO", "Bucharest", Region::Europe, "Europe/Bucharest"),
    ("IN", "Bengaluru", Region::AsiaPacific, "Asia/Kolkata"),
    ("JP", "Tokyo", Region::AsiaPacific, "Asia/Tokyo"),
    ("KR", "Seoul", Region::AsiaPacific, "Asia/Seoul"),
    ("ID", "Jakarta", Region::AsiaPacific, "Asia/Jakarta"),
    ("AU", "Sydney", Region::AsiaPacific, "Australia/Sydney"),
    ("SG", "Singapore", Region::AsiaPacific, "Asia/Singapore"),
    ("CN", "Shanghai", Region::AsiaPacific, "Asia/Shanghai"),
    ("NG", "Lagos", Region::Africa, "Africa/Lagos"),
    ("KE", "Nairobi", Region::Africa, "Africa/Nairobi"),
    ("ZA", "Cape Town", Region::Africa, "Africa/Johannesburg"),
    ("GH", "Accra", Region::Africa, "Africa/Accra"),
    ("AE", "Dubai", Region::MiddleEast, "Asia/Dubai"),
    ("IL", "Tel Aviv", Region::MiddleEast, "Asia/Jerusalem"),
    ("TR", "Istanbul", Region::MiddleEast, "Europe/Istanbul"),
];

pub(super) const FIRST: &[&str] = &[
    "Ana", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Julia", "Kofi",
    "Lucia", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tomoko",
];
pub(super) const LAST: &[&str] = &[
    "Alvarez",
    "Brown",
    "Castro",
    "Diallo",
    "Eriksen",
    "Fernandes",
    "Garcia",
    "Hoffmann",
    "Ito",
    "Johansson",
    "Kim",
    "Lopez",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Rossi",
    "Silva",
    "Tanaka",
    "Weber",
];
pub(super) const WORDS: &[&str] = &[
    "Cloud", "Native", "Platform", "Mesh", "Edge", "Data", "Secure", "Ops", "Stack", "Flow",
    "Grid", "Forge", "Scale", "Kube", "Signal", "Harbor",
];
pub(super) const TOPICS: &[&str] = &[
    "GitOps at scale",
    "Securing the supply chain",
    "eBPF in production",
    "Platform engineering",
    "Observability with OpenTelemetry",
    "Multi-cluster networking",
    "WebAssembly on Kubernetes",
    "Cost-aware autoscaling",
    "Policy as code",
    "Running AI workloads",
];
pub(super) const TAGS: &[&str] = &[
    "kcd",
    "kubecon",
    "community",
    "security",
    "platform",
    "observability",
    "gitops",
    "ai",
];

pub(super) fn kind_of(rng: &mut Rng) -> EventKind {
    match rng.below(20) {
        0..=9 => EventKind::Kcd,
        10 => EventKind::Kubecon,
        11..=13 => EventKind::Summit,
        14..=17 => EventKind::Meetup,
        _ => EventKind::Other,
    }
}

pub(super) fn prefix(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Kcd => "KCD",
        EventKind::Kubecon => "KubeCon + CloudNativeCon",
        EventKind::Summit => "Cloud Native Summit",
        EventKind::Meetup => "Cloud Native Meetup",
        EventKind::Other => "Cloud Native Day",
    }
}
