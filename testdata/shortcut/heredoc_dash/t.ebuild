EAPI=8
inherit x
read -r -d '' DESCRIPTION <<-EOF
	$(helper)
	EOF
SLOT="0"
