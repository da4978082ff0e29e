%% kernel/include/file.hrl: the records of the file module, as OTP 25's header
%% declares them (-include_lib("kernel/include/file.hrl")).
%%
%% #file_info{} is what file:read_file_info/1,2 and read_link_info/1,2
%% return and what file:write_file_info/2,3 takes. Times are
%% {{Y,M,D},{H,Mi,S}} (local or universal) or seconds since the epoch
%% with {time, posix}; every field may be undefined in a record given to
%% write_file_info (undefined fields are left as they are).

-ifndef(FILE_HRL_).
-define(FILE_HRL_, 1).

-record(file_info,
        {size   :: non_neg_integer() | 'undefined',   % bytes
         type   :: 'device' | 'directory' | 'other' | 'regular' | 'symlink'
                 | 'undefined',
         access :: 'read' | 'write' | 'read_write' | 'none' | 'undefined',
         atime  :: file:date_time() | non_neg_integer() | 'undefined', % last read
         mtime  :: file:date_time() | non_neg_integer() | 'undefined', % last written
         ctime  :: file:date_time() | non_neg_integer() | 'undefined', % inode changed (Unix)
         mode   :: non_neg_integer() | 'undefined',   % permission bits
         links  :: non_neg_integer() | 'undefined',   % hard links
         major_device :: non_neg_integer() | 'undefined', % the file system
         minor_device :: non_neg_integer() | 'undefined', % devices only
         inode  :: non_neg_integer() | 'undefined',
         uid    :: non_neg_integer() | 'undefined',   % owner
         gid    :: non_neg_integer() | 'undefined'}). % group

%% An open file handled by a module other than the file server's processes.
-record(file_descriptor,
        {module :: module(),
         data   :: term()}).

-endif.
