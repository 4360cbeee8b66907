using System.Runtime.InteropServices;
using ActorSsgi.Hosting;
using Microsoft.AspNetCore.StaticFiles;

namespace ActorSsgi.Http;

/// <summary>
/// The allowed root of file responses: resolves a path to the file it really names and refuses one outside the
/// root. Built once per server; every request actor shares it.
/// </summary>
internal sealed class FileRoot
{
    // Its table has some 400 entries: one per process, read-only after construction.
    private static readonly FileExtensionContentTypeProvider s_contentTypes = new();

    private static readonly StringComparison s_pathComparison =
        OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private readonly string _root;
    private readonly string _prefix;
    private readonly string _defaultContentType;

    public FileRoot(SsgiFilesOptions options, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(Path.Combine(contentRoot, options.Root ?? ""));

        // Compared against real paths, so the root must be one too (it may itself sit behind a link, like /tmp on macOS).
        _root = Path.TrimEndingDirectorySeparator(RealPath(root) ?? root);
        _prefix = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        InlineReadLimit = Math.Max(0, options.InlineReadLimit);
        _defaultContentType = string.IsNullOrEmpty(options.DefaultContentType) ? "application/octet-stream" : options.DefaultContentType;
    }

    /// <summary>Ranges up to this size are read inline (see <see cref="SsgiFilesOptions.InlineReadLimit"/>).</summary>
    public int InlineReadLimit { get; }

    /// <summary>The real, absolute path of the root.</summary>
    public string Root => _root;

    /// <summary>
    /// The regular file <paramref name="path"/> names, with its real path; <c>null</c> with <paramref name="status"/>
    /// 403 when it resolves outside the root (checked before and after following links, so nothing outside is even
    /// probed for existence) or 404 when it is missing or not a regular file (a directory).
    /// </summary>
    public FileInfo? Resolve(string path, out int status)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0 || path.Contains('\0'))
        {
            status = 404;
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!IsInside(full))
        {
            status = 403;
            return null;
        }

        var real = RealPath(full);
        if (real is null)
        {
            status = 404;
            return null;
        }

        if (!IsInside(real))
        {
            status = 403;
            return null;
        }

        var file = new FileInfo(real);
        if (!file.Exists)
        {
            status = 404;
            return null;
        }

        status = 200;
        return file;
    }

    /// <summary>The media type for a file name, from its extension.</summary>
    public string ContentTypeOf(string fileName) =>
        s_contentTypes.TryGetContentType(fileName, out var type) ? type : _defaultContentType;

    private bool IsInside(string fullPath) => fullPath.StartsWith(_prefix, s_pathComparison);

    /// <summary>The path with every link followed and no <c>.</c>/<c>..</c> left, or <c>null</c> when it does not exist.</summary>
    private static string? RealPath(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return WindowsRealPath(fullPath);
        }

        var resolved = Native.realpath(fullPath, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Native.free(resolved);
        }
    }

    // Windows has no realpath(3): only a link in the last component is followed (and so confined); a directory
    // link inside the root is trusted. ActorSsgi's supported platform is Linux.
    private static string? WindowsRealPath(string fullPath)
    {
        if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
        {
            return null;
        }

        return File.ResolveLinkTarget(fullPath, returnFinalTarget: true)?.FullName ?? fullPath;
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern IntPtr realpath(string path, IntPtr resolvedPath);

        [DllImport("libc")]
        public static extern void free(IntPtr pointer);
    }
}
