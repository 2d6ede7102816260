module perfgate/genprofile

go 1.19
