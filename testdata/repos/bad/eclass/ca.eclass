inherit cb
