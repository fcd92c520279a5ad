//! A result directory that appears complete or not at all.
//!
//! Files are written into a hidden temporary directory beside the target
//! (`.NAME.partial-PID`); `commit` renames it into place. An existing target is refused unless
//! the caller allows replacing it (`--force`), in which case the old directory is moved aside
//! first and deleted only after the new one is in place. An interrupted run leaves at most a
//! `.partial` directory behind, never a half-written result.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, InputError};

/// A directory being written.
#[derive(Debug)]
pub struct ResultDir {
    target: PathBuf,
    temp: PathBuf,
    force: bool,
}

impl ResultDir {
    /// Prepares to write `target`. Fails at once (before any work) when `target` exists and
    /// `force` is false.
    pub fn create(target: &Path, force: bool) -> Result<Self, Error> {
        if target.exists() && !force {
            return Err(InputError::plain(format!("{} already exists", target.display()))
                .with_hint("add --force to replace it, or choose another folder with --out")
                .into());
        }
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::internal(format!("cannot create {}: {e}", parent.display())))?;
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "results".into());
        let temp = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temp.exists() {
            fs::remove_dir_all(&temp).map_err(|e| Error::internal(format!("cannot clear {}: {e}", temp.display())))?;
        }
        fs::create_dir_all(&temp).map_err(|e| Error::internal(format!("cannot create {}: {e}", temp.display())))?;
        Ok(ResultDir { target: target.to_path_buf(), temp, force })
    }

    /// Where files go until `commit`.
    pub fn path(&self) -> &Path {
        &self.temp
    }

    /// The final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes a whole file inside the directory.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        write_file(&self.temp.join(name), bytes)
    }

    /// Moves the finished directory into place.
    pub fn commit(self) -> Result<PathBuf, Error> {
        let io =
            |what: &str, p: &Path, e: std::io::Error| Error::internal(format!("cannot {what} {}: {e}", p.display()));
        let mut old = None;
        if self.target.exists() {
            if !self.force {
                return Err(InputError::plain(format!("{} appeared while running", self.target.display()))
                    .with_hint("add --force to replace it")
                    .into());
            }
            let aside = self.temp.with_extension("old");
            fs::rename(&self.target, &aside).map_err(|e| io("move aside", &self.target, e))?;
            old = Some(aside);
        }
        fs::rename(&self.temp, &self.target).map_err(|e| io("rename into", &self.target, e))?;
        if let Some(old) = old {
            fs::remove_dir_all(&old).map_err(|e| io("remove", &old, e))?;
        }
        Ok(self.target.clone())
    }

    /// Deletes the temporary directory (on failure).
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.temp);
    }
}

/// Writes a file atomically: to a temporary name, flushed, then renamed.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default()
    ));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    result.map_err(|e| Error::internal(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("arrival-dir-test-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        p
    }

    #[test]
    fn commits_and_refuses_to_overwrite_without_force() {
        let root = scratch("commit");
        let target = root.join("run");
        let dir = ResultDir::create(&target, false).unwrap();
        dir.write("a.csv", b"x\n").unwrap();
        assert!(!target.exists(), "nothing visible before commit");
        dir.commit().unwrap();
        assert_eq!(fs::read(target.join("a.csv")).unwrap(), b"x\n");

        let err = ResultDir::create(&target, false).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");

        let dir = ResultDir::create(&target, true).unwrap();
        dir.write("b.csv", b"y\n").unwrap();
        dir.commit().unwrap();
        assert!(!target.join("a.csv").exists());
        assert!(target.join("b.csv").exists());
        let leftovers: Vec<_> = fs::read_dir(&root).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary directories left");
        fs::remove_dir_all(&root).unwrap();
    }
}
