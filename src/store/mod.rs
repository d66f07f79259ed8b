//! How the kept state is stored, below the layers that keep things in it:
//! lists kept as their bytes ([`packed`]) and content-addressed files of
//! consecutive page ids ([`shards`]).

pub mod packed;
pub mod shards;
