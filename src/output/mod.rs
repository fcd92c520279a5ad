//! Result files: the atomic result directory ([`dir`]), the typed rows of the per-year tables
//! ([`rows`]), part files joined in replication order ([`tables`]), the summary over
//! replications ([`summary`]) and the manifest ([`manifest`]).

pub mod dir;
pub mod manifest;
pub mod rows;
pub mod summary;
pub mod tables;
