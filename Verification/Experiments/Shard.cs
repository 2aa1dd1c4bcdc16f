namespace Verify.Verification.Experiments;

/// <summary>
/// Shard i of N (1-based) of a list: the items at positions i − 1, i − 1 + N, …, so shard sizes differ by at most one and
/// the shards partition the list. `run --shard` deals a plan's runs sorted by id, `boundary --shard` its curves in order.
/// </summary>
internal sealed record Shard(int Index, int Count)
{
    public IReadOnlyList<T> Of<T>(IReadOnlyList<T> items) => items.Where((_, k) => k % Count == Index - 1).ToList();

    /// <summary>Parses "i/N".</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], out int i) && int.TryParse(parts[1], out int n) && n >= 1 && i >= 1 && i <= n)
            return new Shard(i, n);
        throw InvalidInputException.MustBe("--shard", $"'{text}'", "i/N with 1 ≤ i ≤ N (for example 3/8)");
    }

    public override string ToString() => $"{Index}/{Count}";
}
