#!/bin/sh
# Rebuild the format fixtures from real erl (OTP 25): what erl prints is what the tests expect.
set -e
cd "$(dirname "$0")"
escript gen_pretty.escript terms.txt > pretty.json
escript gen_io_lib.escript io_lib_cases.txt > io_lib.json
escript gen_exception.escript exception_cases.txt > exception.json
escript gen_io_errors.escript io_errors_cases.txt > io_errors.json
escript gen_float.escript > float.json
