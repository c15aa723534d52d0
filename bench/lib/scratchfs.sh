# Sourced by the cold-path benchmarks. scratch_fs DIR: makes DIR a freshly made ext4 filesystem (a sparse
# image on a loop device) when running as root with mkfs.ext4 and losetup, else a plain directory.
#
# Why: ext4 skips inodes freed in the last 1–6 minutes when it allocates new ones (fs/ext4/ialloc.c,
# recently_deleted), and on this machine it does so by looking each candidate up in the buffer cache. After
# a test run or an earlier round deleted tens of thousands of files, every file or directory created on the
# same disk spent most of its time there: perf put 20–60 % of Moddock's CPU in recently_deleted and
# find_get_block during a cold download, the go command paid the same for its module cache, and "direct"
# varied 5× between back-to-back rounds. A fresh filesystem measures the programs instead of the disk's
# recent history; nothing is deleted on it until the end (unmounting it is the cleanup).
# lazy_itable_init=0: otherwise the kernel's ext4lazyinit thread zeroes the inode tables in the background for
# the first minutes after mounting, i.e. during the measurements.
# Sets SCRATCH_FS_NOTE to one line describing what was used; scratch_fs_cleanup undoes it.
SCRATCH_FS_NOTE=""
SCRATCH_FS_IMAGE=""
SCRATCH_FS_DIR=""
scratch_fs() {
  local dir=$1
  mkdir -p "$dir"
  if [ "${SCRATCH_FS:-ext4}" = ext4 ] && [ "$(id -u)" = 0 ] && command -v mkfs.ext4 >/dev/null && command -v losetup >/dev/null; then
    SCRATCH_FS_IMAGE=$(mktemp /var/tmp/moddock-bench-fs.XXXXXX)
    if truncate -s 8G "$SCRATCH_FS_IMAGE" && mkfs.ext4 -q -F -i 8192 -E lazy_itable_init=0,lazy_journal_init=0 "$SCRATCH_FS_IMAGE" && mount -o loop "$SCRATCH_FS_IMAGE" "$dir" 2>/dev/null; then
      chmod 755 "$dir"
      SCRATCH_FS_DIR=$dir
      SCRATCH_FS_NOTE="a freshly made ext4 filesystem (8 GiB sparse loop image on the machine's disk, 1 Mi inodes, inode tables written by mkfs rather than by a background thread during the runs), nothing deleted on it during the runs"
      return 0
    fi
    rm -f "$SCRATCH_FS_IMAGE"; SCRATCH_FS_IMAGE=""
  fi
  SCRATCH_FS_NOTE="a plain directory on the machine's disk (SCRATCH_FS=${SCRATCH_FS:-ext4}, root and a loop device not both available): expect noise from earlier deletions"
}
scratch_fs_cleanup() {
  if [ -n "$SCRATCH_FS_DIR" ]; then umount "$SCRATCH_FS_DIR" 2>/dev/null || umount -l "$SCRATCH_FS_DIR" 2>/dev/null || true; fi
  if [ -n "$SCRATCH_FS_IMAGE" ]; then rm -f "$SCRATCH_FS_IMAGE"; fi
  SCRATCH_FS_DIR=""; SCRATCH_FS_IMAGE=""
}
