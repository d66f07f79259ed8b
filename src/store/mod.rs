//! How the kept state is stored, below the layers that keep things in it:
//! lists kept as their bytes ([`packed`]), a body's sections written as
//! they are serialized ([`section`]), and content-addressed files of
//! consecutive page ids ([`shards`]).

pub mod packed;
pub mod section;
pub mod shards;
