using System.Globalization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ActorSsgi.Http;

/// <summary>How a <c>Range</c> header applies to a representation of a given length.</summary>
internal enum FileRangeKind
{
    /// <summary>No usable single byte range (absent, malformed, another unit, or several ranges): send it all.</summary>
    Whole,

    /// <summary>One satisfiable range: 206.</summary>
    Partial,

    /// <summary>A single range that selects nothing: 416.</summary>
    Unsatisfiable,
}

/// <summary>
/// The validators of a file (a strong <c>ETag</c> and <c>Last-Modified</c>) and the RFC 9110 rules that use them:
/// <c>If-None-Match</c>, <c>If-Modified-Since</c>, <c>If-Range</c> and <c>Range</c>.
/// </summary>
internal readonly struct FileValidators
{
    public FileValidators(long length, DateTime lastWriteUtc)
    {
        Length = length;

        // HTTP dates have whole seconds; a finer time would never compare equal to what the client sends back.
        var ticks = lastWriteUtc.Ticks;
        LastModified = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

        // Strong, like ASP.NET Core's and nginx's: size and full-precision write time, not a content hash (hashing
        // would read the whole file per request). Strong so that If-Range, which allows only strong comparison, works.
        ETag = new EntityTagHeaderValue(
            "\"" + length.ToString("x", CultureInfo.InvariantCulture) + "-" + ticks.ToString("x", CultureInfo.InvariantCulture) + "\"");
    }

    public long Length { get; }

    public DateTimeOffset LastModified { get; }

    public EntityTagHeaderValue ETag { get; }

    /// <summary>
    /// True when a GET or HEAD may answer 304: <c>If-None-Match</c> matches (weak comparison, <c>*</c> too), or,
    /// only when there is no <c>If-None-Match</c>, the file is not newer than <c>If-Modified-Since</c>.
    /// </summary>
    public bool NotModified(StringValues ifNoneMatch, StringValues ifModifiedSince)
    {
        if (!StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
            {
                return false;
            }

            foreach (var tag in tags)
            {
                if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ETag, useStrongComparison: false))
                {
                    return true;
                }
            }

            return false;
        }

        return !StringValues.IsNullOrEmpty(ifModifiedSince)
            && HeaderUtilities.TryParseDate(ifModifiedSince.ToString(), out var since)
            && LastModified <= since;
    }

    /// <summary>
    /// True when <c>Range</c> may be honoured: no <c>If-Range</c>, or one naming this file's ETag (strong comparison)
    /// or exactly its <c>Last-Modified</c>. Otherwise the file changed since the client's copy: send it all.
    /// </summary>
    public bool RangeApplies(StringValues ifRange)
    {
        if (StringValues.IsNullOrEmpty(ifRange))
        {
            return true;
        }

        if (!RangeConditionHeaderValue.TryParse(ifRange.ToString(), out var condition))
        {
            return false;
        }

        return condition.EntityTag is { } tag
            ? tag.Compare(ETag, useStrongComparison: true)
            : condition.LastModified == LastModified;
    }

    /// <summary>Applies a <c>Range</c> header; for <see cref="FileRangeKind.Partial"/> gives the first byte and the count.</summary>
    public FileRangeKind Range(StringValues range, out long offset, out long count)
    {
        offset = 0;
        count = Length;
        if (!RangeHeaderValue.TryParse(range.ToString(), out var parsed)
            || !string.Equals(parsed.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase)
            || parsed.Ranges.Count != 1)
        {
            // Several ranges would need multipart/byteranges; a full 200 is an allowed answer to them.
            return FileRangeKind.Whole;
        }

        var item = parsed.Ranges.First();
        if (item.From is long from)
        {
            if (from >= Length)
            {
                return FileRangeKind.Unsatisfiable;
            }

            var last = item.To is long to ? Math.Min(to, Length - 1) : Length - 1;
            if (last < from)
            {
                return FileRangeKind.Whole;
            }

            offset = from;
            count = last - from + 1;
            return FileRangeKind.Partial;
        }

        // A suffix, "-N": the last N bytes.
        var suffix = item.To ?? 0;
        if (suffix <= 0 || Length == 0)
        {
            return FileRangeKind.Unsatisfiable;
        }

        count = Math.Min(suffix, Length);
        offset = Length - count;
        return FileRangeKind.Partial;
    }
}
