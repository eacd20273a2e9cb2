# Reads TAP version 14 on stdin with Perl's TAP::Parser (the parser of prove),
# the top level and each subtest, and prints what it read, a line each.
# TAP::Parser knows version 13, of which 14 is a superset: the version
# line is read as 13, and a subtest, de-indented, as a document of its own.
use strict; use warnings; use TAP::Parser;
local $/; my $all = <STDIN>;
sub check {
  my ($name, $tap) = @_;
  $tap =~ s/\ATAP version 14\n/TAP version 13\n/;
  my $p = TAP::Parser->new({ tap => $tap });
  my ($yaml, $bad) = (0, 0);
  while (my $r = $p->next) { $yaml++ if $r->is_yaml; $bad++ if $r->is_unknown && $r->as_string =~ /\S/; }
  printf "%s\tplan=%s run=%d passed=%d failed=%d skipped=%d yaml=%d unknown=%d errors=%s\n", $name, $p->plan,
    $p->tests_run, scalar($p->passed), scalar($p->failed), scalar($p->skipped), $yaml, $bad, join(" | ", $p->parse_errors);
}
my $top = $all; $top =~ s/^    .*\n//mg;
check("top", $top);
while ($all =~ /^# Subtest: (.*)\n((?:    .*\n|\n)*)/mg) {
  my ($n, $body) = ($1, $2); $body =~ s/^    //mg; check($n, "TAP version 13\n" . $body);
}
