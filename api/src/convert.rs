//! `from_row!`: a type made from a table's row, field by field — the views and write records
//! that copy most of a row.

/// `impl From<&Model> for Target`: each listed field is a copy of the row's field of the same
/// name; after `|row|`, fields computed from it.
///
/// ```ignore
/// from_row!(person::Model => PersonRef { slug, name, company });
/// from_row!(person::Model => PersonSummary { slug, name } |p| badges: badges_of(p));
/// ```
macro_rules! from_row {
    ($model:ty => $target:ty { $($field:ident),+ $(,)? }
        $(|$row:pat_param| $($computed:ident: $value:expr),+ $(,)?)?) => {
        impl From<&$model> for $target {
            fn from(row: &$model) -> Self {
                $(let $row = row;)?
                Self {
                    $($field: Clone::clone(&row.$field),)+
                    $($($computed: $value,)+)?
                }
            }
        }
    };
}

pub(crate) use from_row;
