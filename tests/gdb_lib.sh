# tests/gdb_lib.sh — shell helpers the gdb server's end-to-end scripts
# share (sourced; they set $tmp first).

# found FILE LINE... : do the lines appear in FILE, in this order (fixed
# strings)? On a miss, $missing names the first line not found.
found() {
	local file=$1; shift
	local rest=$tmp/found.rest
	cp "$file" "$rest"
	for want in "$@"; do
		local n
		n=$(grep -n -F -m1 -- "$want" "$rest" | cut -d: -f1)
		if [ -z "$n" ]; then
			missing=$want
			return 1
		fi
		tail -n +"$((n + 1))" "$rest" >"$rest.new"; mv "$rest.new" "$rest"
	done
	return 0
}
