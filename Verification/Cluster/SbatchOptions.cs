namespace Verify.Verification.Cluster;

/// <summary>How an sbatch option takes its value, as getopt_long declares it (has_arg).</summary>
internal enum SbatchValue
{
    /// <summary>No value: --hold. "--hold=x" is an error.</summary>
    None,

    /// <summary>A value, after = or as the next word: --mem=4G, --mem 4G, -c4, -c 4.</summary>
    Required,

    /// <summary>A value only after = (long) or attached (short): --nice=5, -k2; "--nice 5" leaves 5 as a stray word.</summary>
    Optional,
}

/// <summary>One of sbatch's long options, with its one-letter form when it has one.</summary>
/// <param name="AliasOf">The option it is another name for (same getopt entry but for the name), else null.</param>
internal sealed record SbatchOption(string Name, SbatchValue Value, char? Short, string? AliasOf)
{
    /// <summary>The option this name stands for: itself, or the one it is an alias of.</summary>
    public string Canonical => AliasOf ?? Name;
}

/// <summary>How sbatch reads an option name: as one option, as an abbreviation of several (an error), or not at all.</summary>
internal abstract record SbatchName
{
    /// <summary>The option sbatch takes: the exact name, or the one option a prefix abbreviates.</summary>
    public sealed record Option(SbatchOption Is, bool Abbreviated) : SbatchName;

    /// <summary>A prefix of several different options: sbatch stops with "option '--x' is ambiguous".</summary>
    public sealed record Ambiguous(IReadOnlyList<SbatchOption> Candidates) : SbatchName;

    /// <summary>Not an option of the sbatch the table was read from (perhaps of a newer one).</summary>
    public sealed record Unknown : SbatchName;
}

/// <summary>
/// sbatch's options as its getopt_long reads them, on the command line and on #SBATCH lines alike (sbatch
/// gathers the words of all #SBATCH lines into one argument list and parses it with getopt_long, so a line
/// can hold several options and a long option may be abbreviated to any prefix that names one option).
/// <para>
/// The table was read from sbatch 22.05.8 (Debian 12's slurm-wlm 22.05.8): the names from getopt's
/// "option '--x' is ambiguous; possibilities: …" for every one- and two-letter prefix, then checked complete by
/// extending every prefix sbatch recognises by each letter (no name outside the table answered); the value
/// kinds from "requires an argument" (--x alone) and "doesn't allow an argument" (--x=v); the short letters
/// from `sbatch --help` and -x alone. tests/Verification.Tests/Cluster/sbatch-22.05-prefixes.txt records what
/// sbatch 22.05.8 made of every prefix of every name, and a test checks <see cref="Resolve"/> against it.
/// Newer sbatch versions add options; adding can only make a prefix ambiguous, never make it name another option.
/// </para>
/// </summary>
internal static class SbatchOptions
{
    /// <summary>The sbatch version the table was read from, for messages.</summary>
    public const string Version = "22.05";

    // name, value kind (- none, = required, ? optional), short letter or ., alias of (or nothing).
    private const string Table = """
        account = A
        acctg-freq = .
        array = a
        batch = .
        bb = .
        bbf = .
        begin = b
        chdir = D
        cluster = . clusters
        cluster-constraint = .
        clusters = M
        comment = .
        constraint = C
        container = .
        context = .
        contiguous - .
        core-spec = S
        cores-per-socket = .
        cpu-freq = .
        cpus-per-gpu = .
        cpus-per-task = c
        deadline = .
        delay-boot = .
        dependency = d
        distribution = m
        error = e
        exclude = x
        exclusive ? .
        export = .
        export-file = .
        extra-node-info = B
        get-user-env ? .
        gid = .
        gpu-bind = .
        gpu-freq = .
        gpus = G
        gpus-per-node = .
        gpus-per-socket = .
        gpus-per-task = .
        gres = .
        gres-flags = .
        help - h
        hint = .
        hold - H
        ignore-pbs - .
        input = i
        job-name = J
        kill-on-invalid-dep = .
        licenses = L
        mail-type = .
        mail-user = .
        mcs-label = .
        mem = .
        mem-bind = .
        mem-per-cpu = .
        mem-per-gpu = .
        mincpus = .
        network = .
        nice ? .
        no-kill ? k
        no-requeue - .
        nodefile = F
        nodelist = w
        nodes = N
        ntasks = n
        ntasks-per-core = .
        ntasks-per-gpu = .
        ntasks-per-node = .
        ntasks-per-socket = .
        ntasks-per-tres = .
        open-mode = .
        output = o
        overcommit - O
        oversubscribe - s
        parsable - .
        partition = p
        power = .
        prefer = .
        priority = .
        profile = .
        propagate ? .
        qos = q
        quiet - Q
        reboot - .
        requeue - .
        reservation = .
        signal = .
        sockets-per-node = .
        spread-job - .
        switches = .
        tasks-per-node = . ntasks-per-node
        test-only - .
        thread-spec = .
        threads-per-core = .
        time = t
        time-min = .
        tmp = .
        uid = .
        usage - .
        use-min-nodes - .
        verbose - v
        version - V
        wait - W
        wait-all-nodes = .
        wckey = .
        wrap = .
        """;

    /// <summary>Every long option of sbatch <see cref="Version"/>.</summary>
    public static readonly IReadOnlyList<SbatchOption> All = Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(f => new SbatchOption(f[0], f[1] switch { "=" => SbatchValue.Required, "?" => SbatchValue.Optional, _ => SbatchValue.None },
            f[2] == "." ? null : f[2][0], f.Length > 3 ? f[3] : null))
        .ToList();

    /// <summary>The option of a short letter (-a is --array), or null when sbatch has no such letter.</summary>
    public static SbatchOption? Short(char letter) => All.FirstOrDefault(o => o.Short == letter);

    /// <summary>
    /// What sbatch makes of "--<paramref name="name"/>", by glibc's getopt_long: an exact name is that option;
    /// otherwise every option whose name starts with it matches, and the prefix names an option when all the
    /// matches are the same getopt entry (one option, or it and its aliases), else it is ambiguous.
    /// </summary>
    public static SbatchName Resolve(string name)
    {
        if (name.Length == 0) return new SbatchName.Unknown();
        if (All.FirstOrDefault(o => o.Name == name) is { } exact) return new SbatchName.Option(exact, Abbreviated: false);
        var matches = All.Where(o => o.Name.StartsWith(name, StringComparison.Ordinal)).ToList();
        if (matches.Count == 0) return new SbatchName.Unknown();
        // getopt compares each later match with the first by (has_arg, flag, val): the same entry under another name is no ambiguity.
        return matches.All(m => m.Canonical == matches[0].Canonical && m.Value == matches[0].Value)
            ? new SbatchName.Option(matches[0], Abbreviated: true)
            : new SbatchName.Ambiguous(matches);
    }
}
