namespace Newsletter.Core.Delivery;

/// <summary>RFC 6376 3.4.4, DKIM's relaxed body canonicalization.</summary>
internal static class RelaxedBody
{
    /// <summary>
    /// White space at line ends dropped, runs of it inside a line made one space, empty lines at the
    /// end dropped, CRLF after the last line. <paramref name="output"/> needs twice the input's length + 2 bytes.
    /// </summary>
    /// <remarks>A byte loop: a vectorised search for white space measured slower here (words are short).</remarks>
    public static int Canonicalize(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var length = 0;
        var emptyLines = 0;
        var space = false;
        var lineHasText = false;
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            switch (b)
            {
                case (byte)'\n':
                    if (lineHasText)
                    {
                        output[length++] = (byte)'\r';
                        output[length++] = (byte)'\n';
                    }
                    else
                    {
                        emptyLines++;
                    }
                    lineHasText = false;
                    space = false;
                    continue;
                case (byte)'\r' when i + 1 < input.Length && input[i + 1] == (byte)'\n':
                    continue;
                case (byte)' ' or (byte)'\t':
                    space = true;
                    continue;
            }
            // Empty lines count only when text follows them.
            for (; emptyLines > 0; emptyLines--)
            {
                output[length++] = (byte)'\r';
                output[length++] = (byte)'\n';
            }
            if (space) output[length++] = (byte)' ';
            space = false;
            output[length++] = b;
            lineHasText = true;
        }
        if (lineHasText)
        {
            output[length++] = (byte)'\r';
            output[length++] = (byte)'\n';
        }
        return length;
    }
}
