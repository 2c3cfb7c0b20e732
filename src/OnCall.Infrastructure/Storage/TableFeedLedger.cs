using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Each rotation's reconciled calendar state, in one partition per rotation: a few chunk rows, each holding up to
/// <see cref="FeedLedgerChunk.TargetEntries"/> entries packed and compressed in binary properties, and the row
/// <see cref="StateRow"/>, which holds the state's version and window and names the chunks that make up the ledger.
/// </summary>
/// <remarks>
/// Why chunks and not a row per shift: the largest valid rotation (10 layers of 1-hour shifts, a year ahead) has about
/// 88,000 entries. As rows they took 880 transactions sent one after another to create, every reconciliation read all
/// of them, and deleting them was quadratic on Azurite (29 s); on Table Storage one partition's ~2,000 entities/s put
/// them at 44 s. As chunks it is about 45 entities: a create writes them in parallel, a change rewrites only the
/// chunks holding changed entries, a delete is one transaction, and a feed reads one chunk at a time.
/// A commit writes the changed chunks under new row keys first and then replaces the state row with an ETag check:
/// that one write is the commit, so a reader sees the old ledger or the new one, never half of each, and two
/// reconcilers cannot both win. Chunks a commit replaced stay until the next commit deletes them, so a feed still
/// reading the previous manifest finds them.
/// </remarks>
public sealed class TableFeedLedger(TableProvider tables) : IFeedLedger
{
    public const string TableName = "FeedLedger";

    /// <summary>Not base32hex, so no event id can take it; after the chunk rows ('c-…') in key order.</summary>
    public const string StateRow = "~state";

    /// <summary>Chunk row keys: the prefix and a GUID. '-' is not base32hex, so no row of the old layout looks like one.</summary>
    public const string ChunkPrefix = "c-";

    /// <summary>The layout of this class; state rows without it belong to the old layout, a row per entry.</summary>
    private const int Layout = 2;

    /// <summary>Where the entries of an old-layout ledger are: they move into chunks at its next commit.</summary>
    private const string RowPerEntry = "rows";

    /// <summary>Chunk reads and writes in flight at once per operation.</summary>
    private const int Parallelism = 8;

    public Task<FeedLedgerSnapshot> LoadAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => LoadAsync(table, rotationId, cancellationToken), cancellationToken);

    private static async Task<FeedLedgerSnapshot> LoadAsync(TableClient table, string rotationId, CancellationToken cancellationToken)
    {
        var row = await ReadStateRowAsync(table, rotationId, cancellationToken);
        var state = row is null ? null : ToState(row);
        var etag = row?.ETag.ToString();
        if (row is null || !IsChunked(row))
        {
            var old = new List<StoredFeedEntry>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rotationId} and RowKey ne {StateRow}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                if (!entity.RowKey.Contains('-', StringComparison.Ordinal))
                {
                    old.Add(new StoredFeedEntry(ToEntry(entity), RowPerEntry));
                }
            }

            return new FeedLedgerSnapshot(rotationId, old, state, etag);
        }

        var manifest = Manifest.Read(row);
        var chunks = new List<FeedEntry>[manifest.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, manifest.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => chunks[i] = await ReadChunkAsync(table, rotationId, manifest[i].RowKey, ct));
        List<StoredFeedEntry> entries = [.. chunks.SelectMany((c, i) => c.Select(e => new StoredFeedEntry(e, manifest[i].RowKey)))];
        return new FeedLedgerSnapshot(rotationId, entries, state, etag);
    }

    public async IAsyncEnumerable<FeedEntry> ReadWindowAsync(
        string rotationId, Instant windowStart, Instant windowEnd, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var row = await tables.RunAsync(TableName, table => ReadStateRowAsync(table, rotationId, cancellationToken), cancellationToken);
        if (row is null || !IsChunked(row))
        {
            await foreach (var entry in ReadRowsAsync(rotationId, windowStart, windowEnd, cancellationToken))
            {
                yield return entry;
            }

            yield break;
        }

        // One chunk at a time, and only the chunks the window touches: what the feed holds is one chunk.
        foreach (var chunk in Manifest.Read(row).Where(c => c.MinStart < windowEnd && windowStart < c.MaxEnd))
        {
            var entries = await tables.RunAsync(
                TableName, table => ReadChunkAsync(table, rotationId, chunk.RowKey, cancellationToken), cancellationToken);
            foreach (var entry in entries)
            {
                if (entry.Start < windowEnd && windowStart < entry.End)
                {
                    yield return entry;
                }
            }
        }
    }

    /// <summary>The old layout, a row per entry, read a page at a time until its next commit moves it into chunks.</summary>
    private async IAsyncEnumerable<FeedEntry> ReadRowsAsync(
        string rotationId, Instant windowStart, Instant windowEnd, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rotationId} and RowKey ne {StateRow}");
        string? continuation = null;
        do
        {
            var page = await tables.RunAsync(
                TableName,
                table => TableBatches.PageAsync(table, filter, continuation, select: null, cancellationToken),
                cancellationToken);
            foreach (var entity in page.Rows)
            {
                if (entity.RowKey.Contains('-', StringComparison.Ordinal))
                {
                    continue;
                }

                var entry = ToEntry(entity);
                if (entry.Start < windowEnd && windowStart < entry.End)
                {
                    yield return entry;
                }
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    public Task CommitAsync(
        FeedLedgerSnapshot basis,
        IReadOnlyList<StoredFeedEntry> changes,
        CalendarStateVersion state,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(basis);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(state);
        return tables.RunAsync(
            TableName, table => CommitAsync(table, basis, changes, new HashSet<string>(), state, cancellationToken), cancellationToken);
    }

    private static async Task CommitAsync(
        TableClient table,
        FeedLedgerSnapshot basis,
        IReadOnlyList<StoredFeedEntry> changes,
        IReadOnlySet<string> removed,
        CalendarStateVersion state,
        CancellationToken cancellationToken)
    {
        var rotationId = basis.RotationId;

        // The chunks the previous commit replaced are deleted once this one has landed.
        var current = await ReadStateRowAsync(table, rotationId, cancellationToken);
        if (current?.ETag.ToString() != basis.ETag)
        {
            throw new ConcurrencyException("Feed ledger", rotationId);
        }

        var plan = ChunkPlan.Build(basis, changes, removed);
        var written = plan.New.Select(c => (RowKey: ChunkPrefix + Guid.CreateVersion7().ToString("N"), c.Data, c.Entries)).ToList();
        await Parallel.ForEachAsync(
            written,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (chunk, ct) => await table.AddEntityAsync(ToChunkEntity(rotationId, chunk.RowKey, chunk.Data), ct));

        var final = plan.Kept.Concat(written.Select(w => (w.RowKey, w.Entries))).OrderBy(c => c.Entries[0], ChunkPlan.Order).ToList();
        var chunks = final
            .Select(c => new ManifestChunk(c.RowKey, c.Entries.Min(e => e.Start), c.Entries.Max(e => e.End), c.Entries.Count))
            .ToList();
        var minEnd = final.Count == 0 ? (Instant?)null : final.Min(c => c.Entries.Min(e => e.End));
        var row = ToStateEntity(rotationId, state, chunks, plan.Replaced, minEnd);
        try
        {
            await TableErrors.WriteOrConflictAsync(
                () => basis.ETag is null
                    ? table.AddEntityAsync(row, cancellationToken)
                    : table.UpdateEntityAsync(row, new ETag(basis.ETag), TableUpdateMode.Replace, cancellationToken),
                "Feed ledger",
                rotationId);
        }
        catch (ConcurrencyException)
        {
            await DeleteRowsAsync(table, rotationId, written.Select(w => w.RowKey), cancellationToken);
            throw;
        }

        var retired = current is null || !IsChunked(current) ? [] : Manifest.ReadRetired(current);
        await DeleteRowsAsync(table, rotationId, retired, cancellationToken);
        if (plan.RowsToDelete.Count > 0)
        {
            await TableBatches.DeleteAsync(table, plan.RowsToDelete.Select(id => new TableEntity(rotationId, id)), cancellationToken);
        }
    }

    public Task<CalendarStateVersion?> RewriteAsync(
        string rotationId, FeedLedgerRewrite rewrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        return tables.RunAsync(TableName, table => RewriteAsync(table, rotationId, rewrite, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The rewrite a chunk at a time. First pass: every chunk is read and its entries visited, keeping of each chunk
    /// only its first entry, earliest end and whether it changes. If the rewrite then decides to commit, the second
    /// pass goes through the chunks in key order beside the added entries (in the same order): a chunk that changes
    /// or takes added entries is read again, revised, packed and written under new row keys; the others are kept. The
    /// state row, replaced with the ETag of the first read, is the commit, as in <see cref="CommitAsync(TableClient,
    /// FeedLedgerSnapshot, IReadOnlyList{StoredFeedEntry}, IReadOnlySet{string}, CalendarStateVersion, CancellationToken)"/>.
    /// What is held at once is one chunk, the added entries of one chunk, and 60 bytes a chunk.
    /// </summary>
    private static async Task<CalendarStateVersion?> RewriteAsync(
        TableClient table, string rotationId, FeedLedgerRewrite rewrite, CancellationToken cancellationToken)
    {
        var current = await ReadStateRowAsync(table, rotationId, cancellationToken);
        var stored = current is null ? null : ToState(current);
        if (current is null ? await HasRowsAsync(table, rotationId, cancellationToken) : !IsChunked(current))
        {
            return await RewriteRowsAsync(table, rotationId, rewrite, cancellationToken);
        }

        var manifest = current is null ? [] : Manifest.Read(current);
        var seen = new List<SeenChunk>(manifest.Count);
        var revised = false;
        var reading = manifest.Count > 0 ? ReadChunkAsync(table, rotationId, manifest[0].RowKey, cancellationToken) : null;
        for (var i = 0; i < manifest.Count; i++)
        {
            // The next chunk is read while this one is visited: two at most are held.
            var chunk = manifest[i];
            var entries = await reading!;
            reading = i + 1 < manifest.Count ? ReadChunkAsync(table, rotationId, manifest[i + 1].RowKey, cancellationToken) : null;
            var changed = false;
            FeedEntry? first = null;
            var minEnd = Instant.MaxValue;
            foreach (var entry in entries)
            {
                var result = rewrite.Visit(entry);
                changed |= !ReferenceEquals(result, entry);
                first = first is null || FeedLedgerRewrite.Order.Compare(entry, first) < 0 ? entry : first;
                minEnd = result is null ? minEnd : Instant.Min(minEnd, result.End);
            }

            seen.Add(new SeenChunk(chunk, first, minEnd, changed));
            revised |= changed;
        }

        var state = rewrite.Finish(stored, revised);
        if (state is null)
        {
            return stored;
        }

        var final = new List<(FeedEntry First, ManifestChunk Chunk, Instant MinEnd)>();
        var written = new List<string>();
        var replaced = new List<string>();
        try
        {
            using var added = rewrite.Added().GetEnumerator();
            var more = added.MoveNext();
            // Chunks in key order; an empty one (none is ever written) is dropped.
            var targets = seen.Where(c => c.First is not null).OrderBy(c => c.First!, FeedLedgerRewrite.Order).ToList();
            replaced.AddRange(seen.Where(c => c.First is null).Select(c => c.Chunk.RowKey));
            if (targets.Count == 0)
            {
                // Nothing stored: the added entries are packed as they come, a chunk's worth at a time.
                var batch = new List<FeedEntry>(FeedLedgerChunk.TargetEntries);
                while (more)
                {
                    batch.Add(added.Current);
                    more = added.MoveNext();
                    if (batch.Count == FeedLedgerChunk.TargetEntries || !more)
                    {
                        final.AddRange(await WriteChunksAsync(table, rotationId, batch, written, cancellationToken));
                        batch = new List<FeedEntry>(FeedLedgerChunk.TargetEntries);
                    }
                }
            }

            for (var i = 0; i < targets.Count; i++)
            {
                // Added entries join the chunk whose first entry is the last at or before them (the first chunk if none).
                var next = i + 1 < targets.Count ? targets[i + 1].First : null;
                var joining = new List<FeedEntry>();
                while (more && (next is null || FeedLedgerRewrite.Order.Compare(added.Current, next) < 0))
                {
                    joining.Add(added.Current);
                    more = added.MoveNext();
                }

                var chunk = targets[i];
                if (!chunk.Changed && joining.Count == 0)
                {
                    final.Add((chunk.First!, chunk.Chunk, chunk.MinEnd));
                    continue;
                }

                var entries = await ReadChunkAsync(table, rotationId, chunk.Chunk.RowKey, cancellationToken);
                var group = new List<FeedEntry>(entries.Count + joining.Count);
                foreach (var entry in entries)
                {
                    if (rewrite.Revise(entry) is { } result)
                    {
                        group.Add(result);
                    }
                }

                group.AddRange(joining);
                replaced.Add(chunk.Chunk.RowKey);
                final.AddRange(await WriteChunksAsync(table, rotationId, group, written, cancellationToken));
            }

        }
        catch
        {
            // Not committed: the chunks written for it would be orphans.
            await DeleteRowsAsync(table, rotationId, written, CancellationToken.None);
            throw;
        }

        final.Sort((a, b) => FeedLedgerRewrite.Order.Compare(a.First, b.First));
        var earliestEnd = final.Count == 0 ? (Instant?)null : final.Min(c => c.MinEnd);
        var row = ToStateEntity(rotationId, state, [.. final.Select(c => c.Chunk)], replaced, earliestEnd);
        try
        {
            await TableErrors.WriteOrConflictAsync(
                () => current is null
                    ? table.AddEntityAsync(row, cancellationToken)
                    : table.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellationToken),
                "Feed ledger",
                rotationId);
        }
        catch (ConcurrencyException)
        {
            await DeleteRowsAsync(table, rotationId, written, cancellationToken);
            throw;
        }

        var retired = current is null ? [] : Manifest.ReadRetired(current);
        await DeleteRowsAsync(table, rotationId, retired, cancellationToken);
        return state;
    }

    /// <summary>A ledger of the old layout, a row per entry, rewritten whole: its commit moves it into chunks.</summary>
    private static async Task<CalendarStateVersion?> RewriteRowsAsync(
        TableClient table, string rotationId, FeedLedgerRewrite rewrite, CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(table, rotationId, cancellationToken);
        var changes = new List<StoredFeedEntry>();
        var removed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in snapshot.Entries)
        {
            var result = rewrite.Visit(stored.Entry);
            if (result is null)
            {
                removed.Add(stored.Entry.EventId);
            }
            else if (!ReferenceEquals(result, stored.Entry))
            {
                changes.Add(stored with { Entry = result });
            }
        }

        var state = rewrite.Finish(snapshot.State, changes.Count > 0 || removed.Count > 0);
        if (state is null)
        {
            return snapshot.State;
        }

        changes.AddRange(rewrite.Added().Select(e => new StoredFeedEntry(e, null)));
        await CommitAsync(table, snapshot, changes, removed, state, cancellationToken);
        return state;
    }

    /// <summary>Whether a partition without a state row holds a ledger of the old layout.</summary>
    private static async Task<bool> HasRowsAsync(TableClient table, string rotationId, CancellationToken cancellationToken)
    {
        // Rows of the old layout have no '-' in their keys; chunk rows a crashed commit left behind do.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (!row.RowKey.Contains('-', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Packs <paramref name="entries"/> into as many chunks as they need and writes them; their row keys go to
    /// <paramref name="written"/>.
    /// </summary>
    private static async Task<List<(FeedEntry First, ManifestChunk Chunk, Instant MinEnd)>> WriteChunksAsync(
        TableClient table, string rotationId, List<FeedEntry> entries, List<string> written, CancellationToken cancellationToken)
    {
        var plan = new ChunkPlan();
        plan.Pack(entries);
        var chunks = plan.New.Select(c => (RowKey: ChunkPrefix + Guid.CreateVersion7().ToString("N"), c.Data, c.Entries)).ToList();
        written.AddRange(chunks.Select(c => c.RowKey));

        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (chunk, ct) => await table.AddEntityAsync(ToChunkEntity(rotationId, chunk.RowKey, chunk.Data), ct));
        return [.. chunks.Select(c => (
            c.Entries[0],
            new ManifestChunk(c.RowKey, c.Entries.Min(e => e.Start), c.Entries.Max(e => e.End), c.Entries.Count),
            c.Entries.Min(e => e.End)))];
    }

    /// <summary>
    /// What the first pass of a rewrite keeps of a chunk: its first entry (null when empty), earliest end after the
    /// rewrite, and whether it changes.
    /// </summary>
    private sealed record SeenChunk(ManifestChunk Chunk, FeedEntry? First, Instant MinEnd, bool Changed);

    /// <summary>Forgets entries that ended before a cutoff, and nothing else: the state stays as it is.</summary>
    private sealed class Prune(Instant endedBefore) : FeedLedgerRewrite
    {
        public int Count { get; private set; }

        public override FeedEntry? Revise(FeedEntry stored) => stored.End < endedBefore ? null : stored;

        public override FeedEntry? Visit(FeedEntry stored)
        {
            var result = Revise(stored);
            Count += result is null ? 1 : 0;
            return result;
        }

        // An entry that ended long ago is outside every window, so the state's version does not change.
        public override CalendarStateVersion? Finish(CalendarStateVersion? stored, bool revised) => revised ? stored : null;
    }

    public Task<CalendarStateVersion?> GetStateAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(
            TableName,
            async table => await ReadStateRowAsync(table, rotationId, cancellationToken) is { } row ? ToState(row) : null,
            cancellationToken);

    public Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(
            TableName,
            async table => await TableBatches.DeleteAsync(
                table, await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken), cancellationToken),
            cancellationToken);

    public Task<int> PruneAsync(Instant endedBefore, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => PruneAsync(table, endedBefore, cancellationToken), cancellationToken);

    private static async Task<int> PruneAsync(TableClient table, Instant endedBefore, CancellationToken cancellationToken)
    {
        // The state row keeps the earliest end in its ledger, so only ledgers holding something to prune are read.
        var cutoff = endedBefore.ToDateTimeOffset();
        var rotations = new List<string>();
        var filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow} and MinEnd lt {cutoff}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey"], cancellationToken: cancellationToken))
        {
            rotations.Add(row.PartitionKey);
        }

        var count = 0;
        foreach (var rotationId in rotations)
        {
            // A chunk at a time, as a reconciliation: only the chunks holding something to forget are rewritten.
            var prune = new Prune(endedBefore);
            try
            {
                if (await RewriteAsync(table, rotationId, prune, cancellationToken) is not null)
                {
                    count += prune.Count;
                }
            }
            catch (ConcurrencyException)
            {
                // Reconciled meanwhile; the next run prunes it.
            }
        }

        return count;
    }

    private static async Task<TableEntity?> ReadStateRowAsync(TableClient table, string rotationId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(rotationId, StateRow, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static async Task<List<FeedEntry>> ReadChunkAsync(
        TableClient table, string rotationId, string rowKey, CancellationToken cancellationToken)
    {
        var found = await table.GetEntityIfExistsAsync<TableEntity>(rotationId, rowKey, cancellationToken: cancellationToken);

        // Only possible when two commits landed while one reader went through the older manifest.
        var entity = found.HasValue && found.Value is { } e ? e : throw new ConcurrencyException("Feed ledger", rotationId);
        var parts = entity.GetInt32("Parts") ?? 0;

        // Read through the parts as they are: no copy of the whole chunk.
        var data = new FeedBytes([.. Enumerable.Range(0, parts).Select(i => new ReadOnlyMemory<byte>(entity.GetBinary($"Data{i}")))]);
        using var stream = data.OpenRead();
        return FeedLedgerChunk.Decode(stream);
    }

    private static async Task DeleteRowsAsync(
        TableClient table, string rotationId, IEnumerable<string> rowKeys, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            rowKeys,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (rowKey, ct) => await table.DeleteEntityAsync(rotationId, rowKey, ETag.All, ct));

    private static bool IsChunked(TableEntity row) => row.GetInt32("Layout") == Layout;

    private static TableEntity ToChunkEntity(string rotationId, string rowKey, byte[] data)
    {
        var parts = FeedLedgerChunk.Parts(data).ToList();
        var entity = new TableEntity(rotationId, rowKey) { ["Parts"] = parts.Count };
        for (var i = 0; i < parts.Count; i++)
        {
            entity[$"Data{i}"] = parts[i];
        }

        return entity;
    }

    private static TableEntity ToStateEntity(
        string rotationId, CalendarStateVersion state, IReadOnlyList<ManifestChunk> chunks, List<string> replaced, Instant? minEnd)
    {
        var row = new TableEntity(rotationId, StateRow)
        {
            ["Layout"] = Layout,
            ["Version"] = state.Version,
            ["WindowStart"] = state.WindowStart.ToDateTimeOffset(),
            ["WindowEnd"] = state.WindowEnd.ToDateTimeOffset(),
            ["ReconciledAt"] = state.ReconciledAt.ToDateTimeOffset(),
            ["Chunks"] = Manifest.Write(chunks),
            ["Entries"] = chunks.Sum(c => c.Count),
        };
        if (replaced.Count > 0)
        {
            row["Retired"] = Manifest.WriteRetired(replaced);
        }

        if (minEnd is { } end)
        {
            row["MinEnd"] = end.ToDateTimeOffset();
        }

        return row;
    }

    private static CalendarStateVersion ToState(TableEntity e) => new(
        e.GetString("Version"),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("WindowStart")!.Value),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("WindowEnd")!.Value),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("ReconciledAt")!.Value));

    /// <summary>An entry of the old layout, a row per entry.</summary>
    private static FeedEntry ToEntry(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Key"),
        entity.GetString("Layer"),
        new Member(entity.GetString("MemberName"), entity.GetString("MemberEmail")),
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("Start")!.Value),
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("End")!.Value),
        entity.GetBoolean("IsOverride") ?? false,
        entity.GetInt32("Sequence") ?? 0,
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("LastModified")!.Value),
        entity.GetBoolean("Cancelled") ?? false);

    private sealed record ManifestChunk(string RowKey, Instant MinStart, Instant MaxEnd, int Count);

    /// <summary>The state row's list of chunks: per chunk its GUID, earliest start, latest end and entry count (36 bytes).</summary>
    private static class Manifest
    {
        private const int Size = 16 + 8 + 8 + 4;

        public static byte[] Write(IReadOnlyList<ManifestChunk> chunks)
        {
            var data = new byte[chunks.Count * Size];
            for (var i = 0; i < chunks.Count; i++)
            {
                var span = data.AsSpan(i * Size, Size);
                Guid.ParseExact(chunks[i].RowKey[ChunkPrefix.Length..], "N").TryWriteBytes(span[..16]);
                BinaryPrimitives.WriteInt64LittleEndian(span[16..], chunks[i].MinStart.ToUnixTimeTicks());
                BinaryPrimitives.WriteInt64LittleEndian(span[24..], chunks[i].MaxEnd.ToUnixTimeTicks());
                BinaryPrimitives.WriteInt32LittleEndian(span[32..], chunks[i].Count);
            }

            return data;
        }

        public static List<ManifestChunk> Read(TableEntity row)
        {
            var data = row.GetBinary("Chunks") ?? [];
            var chunks = new List<ManifestChunk>(data.Length / Size);
            for (var offset = 0; offset + Size <= data.Length; offset += Size)
            {
                var span = data.AsSpan(offset, Size);
                chunks.Add(new ManifestChunk(
                    ChunkPrefix + new Guid(span[..16]).ToString("N"),
                    Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64LittleEndian(span[16..])),
                    Instant.FromUnixTimeTicks(BinaryPrimitives.ReadInt64LittleEndian(span[24..])),
                    BinaryPrimitives.ReadInt32LittleEndian(span[32..])));
            }

            return chunks;
        }

        public static byte[] WriteRetired(IReadOnlyList<string> rowKeys) =>
            [.. rowKeys.SelectMany(k => Guid.ParseExact(k[ChunkPrefix.Length..], "N").ToByteArray())];

        public static IReadOnlyList<string> ReadRetired(TableEntity row) =>
            [.. (row.GetBinary("Retired") ?? []).Chunk(16).Select(b => ChunkPrefix + new Guid(b).ToString("N"))];
    }

    /// <summary>
    /// Which chunks a commit keeps, which it writes anew and which it replaces. A changed entry is rewritten with its
    /// chunk; a new one joins the chunk whose range (by layer, then start) it falls in; a chunk grown past
    /// <see cref="FeedLedgerChunk.TargetEntries"/> is split, and one packed past <see cref="FeedLedgerChunk.MaxBytes"/>
    /// is halved until it fits.
    /// </summary>
    private sealed class ChunkPlan
    {
        public static readonly Comparer<FeedEntry> Order = FeedLedgerRewrite.Order;

        public List<(string RowKey, List<FeedEntry> Entries)> Kept { get; } = [];

        public List<(byte[] Data, List<FeedEntry> Entries)> New { get; } = [];

        /// <summary>Chunk rows no longer in the ledger after the commit.</summary>
        public List<string> Replaced { get; } = [];

        /// <summary>Rows of the old layout to delete after the commit.</summary>
        public List<string> RowsToDelete { get; } = [];

        public static ChunkPlan Build(FeedLedgerSnapshot basis, IReadOnlyList<StoredFeedEntry> changes, IReadOnlySet<string> removed)
        {
            var plan = new ChunkPlan();
            var groups = new Dictionary<string, List<FeedEntry>>(StringComparer.Ordinal);
            var homeless = new List<FeedEntry>();
            var changed = new HashSet<string>(StringComparer.Ordinal);
            var revised = changes.Where(c => c.Chunk is not null).ToDictionary(c => c.Entry.EventId, c => c.Entry, StringComparer.Ordinal);
            foreach (var stored in basis.Entries)
            {
                if (stored.Chunk is null or RowPerEntry)
                {
                    // The old layout: every entry moves into new chunks, and its row goes.
                    plan.RowsToDelete.Add(stored.Entry.EventId);
                    if (!removed.Contains(stored.Entry.EventId))
                    {
                        homeless.Add(revised.GetValueOrDefault(stored.Entry.EventId) ?? stored.Entry);
                    }

                    continue;
                }

                if (!groups.TryGetValue(stored.Chunk, out var group))
                {
                    groups[stored.Chunk] = group = [];
                }

                if (removed.Contains(stored.Entry.EventId))
                {
                    changed.Add(stored.Chunk);
                }
                else if (revised.TryGetValue(stored.Entry.EventId, out var entry))
                {
                    group.Add(entry);
                    changed.Add(stored.Chunk);
                }
                else
                {
                    group.Add(stored.Entry);
                }
            }

            // New entries go to the chunk whose first entry is the last at or before them (the first chunk if none).
            var firsts = groups
                .Where(g => g.Value.Count > 0)
                .Select(g => (First: g.Value.Min(Order)!, RowKey: g.Key))
                .OrderBy(f => f.First, Order)
                .ToList();
            foreach (var change in changes.Where(c => c.Chunk is null))
            {
                if (firsts.Count == 0)
                {
                    homeless.Add(change.Entry);
                    continue;
                }

                var at = 0;
                for (int lo = 0, hi = firsts.Count - 1; lo <= hi;)
                {
                    var mid = (lo + hi) / 2;
                    if (Order.Compare(firsts[mid].First, change.Entry) <= 0)
                    {
                        at = mid;
                        lo = mid + 1;
                    }
                    else
                    {
                        hi = mid - 1;
                    }
                }

                groups[firsts[at].RowKey].Add(change.Entry);
                changed.Add(firsts[at].RowKey);
            }

            foreach (var (rowKey, entries) in groups)
            {
                if (changed.Contains(rowKey))
                {
                    plan.Replaced.Add(rowKey);
                    plan.Pack(entries);
                }
                else
                {
                    plan.Kept.Add((rowKey, entries));
                }
            }

            plan.Pack(homeless);
            return plan;
        }

        public void Pack(List<FeedEntry> entries)
        {
            if (entries.Count == 0)
            {
                return;
            }

            entries.Sort(Order);
            var pieces = (entries.Count + FeedLedgerChunk.TargetEntries - 1) / FeedLedgerChunk.TargetEntries;
            for (var i = 0; i < pieces; i++)
            {
                var from = (int)((long)entries.Count * i / pieces);
                var to = (int)((long)entries.Count * (i + 1) / pieces);
                PackFitting(entries.GetRange(from, to - from));
            }
        }

        private void PackFitting(List<FeedEntry> entries)
        {
            var data = FeedLedgerChunk.Encode(entries);
            if (data.Length <= FeedLedgerChunk.MaxBytes || entries.Count == 1)
            {
                New.Add((data, entries));
                return;
            }

            PackFitting(entries.GetRange(0, entries.Count / 2));
            PackFitting(entries.GetRange(entries.Count / 2, entries.Count - entries.Count / 2));
        }
    }
}
